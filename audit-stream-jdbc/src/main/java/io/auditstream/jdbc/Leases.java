package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The outbox's leases: taking due deliveries for sending, and returning them to pending, with a new
 * schedule after a failed attempt or unchanged. Each method runs inside one of the outbox's
 * transactions.
 *
 * <p>Not thread-safe: used under the database's lock. Internal; may change without notice.
 */
final class Leases {
  private final DeliveryRows rows;
  private final Backlogs backlogs;

  Leases(DeliveryRows rows, Backlogs backlogs) {
    this.rows = rows;
    this.backlogs = backlogs;
  }

  /**
   * Leases up to {@code max} of the destination's pending deliveries, oldest first, stopping at the
   * first that is not due at {@code now}; one whose payload cannot be decoded becomes a dead letter
   * instead.
   */
  List<QueuedDelivery> lease(Database d, DestinationId destination, int max, Instant now) throws SQLException {
    if (backlogs.count(destination) == 0) {
      return List.of();
    }
    PreparedStatement mark = d.statement(OutboxSql.MARK_LEASED);
    List<QueuedDelivery> leased = new ArrayList<>();
    for (DeliveryRows.DueRow r : rows.due(d, destination, now, max)) {
      Optional<EncodedEvent> event = rows.decode(destination, r.eventId(), r.payload());
      if (event.isEmpty()) {
        DeliveryRows.markDead(d, r.seq(), r.attempts(), r.lastError(), now, "the stored event could not be read");
        backlogs.add(destination, -1, -r.size());
        continue;
      }
      mark.setLong(1, r.seq());
      mark.executeUpdate();
      leased.add(new QueuedDelivery(destination, event.get(), EpochNanos.toInstant(r.enqueuedAt()), r.attempts(),
          EpochNanos.toInstant(r.nextAttemptAt()), Optional.ofNullable(r.lastError())));
    }
    return leased;
  }

  /**
   * Stores each delivery's attempts, next attempt time and last error, and returns it to pending;
   * returns how many were pending or leased.
   */
  int reschedule(Database d, Collection<QueuedDelivery> failed) throws SQLException {
    PreparedStatement update = d.statement(OutboxSql.RESCHEDULE);
    int rescheduled = 0;
    for (QueuedDelivery q : failed) {
      update.setInt(1, q.attempts());
      update.setLong(2, EpochNanos.of(q.nextAttemptAt()));
      DeliveryRows.setNullable(update, 3, q.lastError().orElse(null));
      update.setString(4, q.eventId());
      update.setString(5, q.destinationId().value());
      rescheduled += update.executeUpdate();
    }
    return rescheduled;
  }

  /** Returns leased deliveries to pending, schedule unchanged; returns how many were leased. */
  int release(Database d, Collection<QueuedDelivery> deliveries) throws SQLException {
    PreparedStatement update = d.statement(OutboxSql.RELEASE);
    int released = 0;
    for (QueuedDelivery q : deliveries) {
      update.setString(1, q.eventId());
      update.setString(2, q.destinationId().value());
      released += update.executeUpdate();
    }
    return released;
  }

  /** When the destination's oldest pending delivery is due, if it has one. */
  Optional<Instant> nextDue(Database d, DestinationId destination) throws SQLException {
    return backlogs.count(destination) == 0 ? Optional.empty() : rows.nextDue(d, destination);
  }

  /** Returns every leased delivery to pending, schedule unchanged; returns how many there were. */
  int releaseAll(Database d) throws SQLException {
    PreparedStatement update = d.statement(OutboxSql.RELEASE_ALL);
    int released = 0;
    for (DestinationId destination : backlogs.destinations()) {
      update.setString(1, destination.value());
      released += update.executeUpdate();
    }
    return released;
  }
}
