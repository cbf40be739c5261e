package io.auditstream.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes delivered rows older than the retention, and the events that no row refers to any more. It
 * runs inside the outbox's own write transactions (after an offer or a removal), at most once per
 * interval, so it needs no thread and costs no commit of its own; each run deletes at most {@value
 * #BATCH} rows, so that it never holds the database long, and the next write continues a run that
 * found more.
 *
 * <p>Not thread-safe: used under the database's lock. Internal; may change without notice.
 */
final class DeliveredPurge {
  static final int BATCH = 10_000;

  private static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

  private final long retentionNanos;
  private final long intervalNanos;
  private long nextRunAt = Long.MIN_VALUE;

  DeliveredPurge(Duration retention) {
    this.retentionNanos = retention.toNanos();
    Duration interval = retention.isZero() || retention.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : retention;
    this.intervalNanos = interval.toNanos();
  }

  /** Whether a delivered row is deleted at once rather than kept. */
  boolean deletesAtOnce() {
    return retentionNanos == 0;
  }

  /**
   * Purges when a run is due at {@code now} (nanoseconds since the epoch).
   *
   * @return how many delivered rows it deleted
   */
  int runIfDue(Database d, long now) throws SQLException {
    if (now < nextRunAt) {
      return 0;
    }
    PreparedStatement select = d.statement(OutboxSql.DELIVERED_BEFORE);
    select.setLong(1, now - retentionNanos);
    select.setInt(2, BATCH);
    List<Long> rows = new ArrayList<>();
    Set<String> events = new LinkedHashSet<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getLong(1));
        events.add(rs.getString(2));
      }
    }
    PreparedStatement delete = d.statement(OutboxSql.DELETE);
    for (long seq : rows) {
      delete.setLong(1, seq);
      delete.executeUpdate();
    }
    deleteUnreferencedEvents(d, events);
    // A full batch means more are waiting: the next write goes on with them.
    nextRunAt = rows.size() == BATCH ? now : now + intervalNanos;
    return rows.size();
  }

  /** Deletes those of {@code eventIds} that no delivery row refers to any more. */
  static void deleteUnreferencedEvents(Database d, Iterable<String> eventIds) throws SQLException {
    PreparedStatement delete = d.statement(OutboxSql.DELETE_EVENT_IF_UNREFERENCED);
    for (String id : eventIds) {
      delete.setString(1, id);
      delete.setString(2, id);
      delete.executeUpdate();
    }
  }
}
