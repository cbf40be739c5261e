package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.DestinationId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Each destination's backlog (its pending and leased deliveries) as a count and a number of payload
 * bytes, and the bounds on both, kept in memory beside the database so that checking a destination's
 * bound costs no query. Read from the database when the outbox opens, then changed with every write
 * that changes a backlog.
 *
 * <p>Not thread-safe: used under the database's lock, which {@link #write} takes itself. Internal; may
 * change without notice.
 */
final class Backlogs {
  private final int maxCount;
  private final long maxBytes;
  private final Map<DestinationId, long[]> byDestination = new HashMap<>();
  private long total;

  /** Backlogs of at most {@code maxCount} deliveries and {@code maxBytes} payload bytes each. */
  Backlogs(int maxCount, long maxBytes) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
  }

  int maxCount() {
    return maxCount;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Replaces what it holds with the backlogs stored in the database. */
  void load(Database d) throws SQLException {
    clearAll();
    try (ResultSet rs = d.statement(OutboxSql.BACKLOGS).executeQuery()) {
      while (rs.next()) {
        add(DestinationId.of(rs.getString(1)), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  /**
   * Runs {@code work}, a write that may change backlogs, in a transaction of {@code db}. When it fails,
   * the database rolled it back, and the backlogs it may have changed are read again from the database.
   *
   * @throws AuditStreamException when the database fails
   */
  <T> T write(Database db, String what, Database.Work<T> work) {
    try {
      return db.transaction(what, work);
    } catch (RuntimeException e) {
      try {
        db.transaction("read the backlogs", d -> {
          load(d);
          return null;
        });
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /** Whether {@code count} more deliveries of {@code bytes} in all fit the destination's bounds. */
  boolean hasRoomFor(DestinationId destination, long count, long bytes) {
    return count(destination) + count <= maxCount && bytes(destination) + bytes <= maxBytes;
  }

  /** Adds {@code count} deliveries of {@code bytes} in all (negative to take them away). */
  void add(DestinationId destination, long count, long bytes) {
    long[] b = byDestination.computeIfAbsent(destination, d -> new long[2]);
    b[0] += count;
    b[1] += bytes;
    total += count;
    if (b[0] <= 0) {
      byDestination.remove(destination);
    }
  }

  void clear(DestinationId destination) {
    long[] b = byDestination.remove(destination);
    if (b != null) {
      total -= b[0];
    }
  }

  void clearAll() {
    byDestination.clear();
    total = 0;
  }

  long count(DestinationId destination) {
    long[] b = byDestination.get(destination);
    return b == null ? 0 : b[0];
  }

  long bytes(DestinationId destination) {
    long[] b = byDestination.get(destination);
    return b == null ? 0 : b[1];
  }

  long total() {
    return total;
  }

  Set<DestinationId> destinations() {
    return Set.copyOf(byDestination.keySet());
  }
}
