package io.auditstream.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes delivered rows older than the retention, and the events that no row refers to any more. It
 * runs inside the outbox's own write transactions (after an offer or a removal), at most once per
 * interval, so it needs no thread and costs no commit of its own; each run deletes at most {@value
 * #BATCH} rows, so that it never holds the database long, and the next write continues a run that
 * found more.
 *
 * <p>Thread-safe: one run at a time per outbox; where several processes share the database, each run
 * skips the rows another one is deleting. Internal; may change without notice.
 */
final class DeliveredPurge {
  static final int BATCH = 10_000;

  private static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

  private final long retentionNanos;
  private final long intervalNanos;
  private final AtomicLong nextRunAt = new AtomicLong(Long.MIN_VALUE);

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
  int runIfDue(Transaction d, long now) throws SQLException {
    long due = nextRunAt.get();
    // One run at a time in this process; another process's runs skip the rows this one holds.
    if (now < due || !nextRunAt.compareAndSet(due, now + intervalNanos)) {
      return 0;
    }
    try {
      return purge(d, now);
    } catch (SQLException | RuntimeException e) {
      // Rolled back: the next write tries again.
      nextRunAt.set(due);
      throw e;
    }
  }

  private int purge(Transaction d, long now) throws SQLException {
    PreparedStatement select = d.statement(d.dialect().selectDeliveredBefore());
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
    if (rows.size() == BATCH) {
      // A full batch means more are waiting: the next write goes on with them.
      nextRunAt.set(now);
    }
    return rows.size();
  }

  /** Deletes those of {@code eventIds} that no delivery row refers to any more. */
  static void deleteUnreferencedEvents(Transaction d, Collection<String> eventIds) throws SQLException {
    PreparedStatement delete = d.statement(OutboxSql.DELETE_EVENT_IF_UNREFERENCED);
    for (String id : d.dialect().lockEventsToDelete(d, eventIds)) {
      delete.setString(1, id);
      delete.setString(2, id);
      delete.executeUpdate();
    }
  }
}
