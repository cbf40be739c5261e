package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes deliveries out of the outbox: delivered ones, kept as delivered for the retention or deleted
 * at once, and all of a destination's; the events no delivery refers to any more go with them. Each
 * method runs inside one of the outbox's transactions.
 *
 * <p>Thread-safe (stateless). Internal; may change without notice.
 */
final class Removals {
  private final DeliveryRows rows;
  private final Backlogs backlogs;
  private final DeliveredPurge purge;

  Removals(DeliveryRows rows, Backlogs backlogs, DeliveredPurge purge) {
    this.rows = rows;
    this.backlogs = backlogs;
    this.purge = purge;
  }

  /**
   * Marks those of {@code delivered} that are pending or leased delivered at {@code now} (nanoseconds
   * since the epoch), or deletes them when the retention is zero, and returns how many they were;
   * ignores the rest. Then purges what is past the retention, when a purge is due.
   */
  int delivered(Transaction d, Collection<QueuedDelivery> delivered, long now) throws SQLException {
    Set<String> deleted = new LinkedHashSet<>();
    int removed = 0;
    for (QueuedDelivery q : delivered) {
      DeliveryRows.Row r = rows.find(d, q.key());
      if (r == null || !r.inBacklog()) {
        continue;
      }
      if (purge.deletesAtOnce()) {
        PreparedStatement delete = d.statement(OutboxSql.DELETE);
        delete.setLong(1, r.seq());
        delete.executeUpdate();
        deleted.add(q.eventId());
      } else {
        PreparedStatement mark = d.statement(OutboxSql.MARK_DELIVERED);
        mark.setLong(1, now);
        mark.setLong(2, r.seq());
        mark.executeUpdate();
      }
      backlogs.add(q.destinationId(), -1, -r.size());
      removed++;
    }
    DeliveredPurge.deleteUnreferencedEvents(d, deleted);
    purge.runIfDue(d, now);
    return removed;
  }

  /** Deletes every row of the destination, whatever its state; returns how many were in its backlog. */
  int all(Transaction d, DestinationId destination) throws SQLException {
    // Counted in the database: where others share it, they may have rows this process does not count.
    int backlog = (int) DeliveryRows.count(d, OutboxSql.COUNT_BACKLOG, destination.value());
    List<String> events = rows.eventsOf(d, destination);
    PreparedStatement delete = d.statement(OutboxSql.DELETE_DESTINATION);
    delete.setString(1, destination.value());
    delete.executeUpdate();
    DeliveredPurge.deleteUnreferencedEvents(d, events);
    backlogs.clear(destination);
    return backlog;
  }
}
