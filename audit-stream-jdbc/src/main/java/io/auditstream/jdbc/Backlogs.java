package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.DestinationId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Each destination's backlog (its pending and leased deliveries) as a count and a number of payload
 * bytes, and the bounds on both, kept in memory beside the database so that checking a destination's
 * bound costs no query. Read from the database when the outbox opens, then changed with every write
 * that changes a backlog.
 *
 * <p>Where one process holds the database, that is exact. Where several share it, the others add and
 * remove rows too: the backlogs are then read again whenever they are older than the refresh interval
 * (on reads, and before offers), and between two reads they count this process's changes alone; so a
 * bound holds per process exactly and across processes approximately.
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
final class Backlogs {
  private final int maxCount;
  private final long maxBytes;
  private final long refreshNanos;
  // guarded by this
  private Map<DestinationId, long[]> byDestination = new HashMap<>();
  private long total;
  private long loadedAt;

  /**
   * Backlogs of at most {@code maxCount} deliveries and {@code maxBytes} payload bytes each; read again
   * when older than {@code refresh}, or never when it is zero (one process holds the database).
   */
  Backlogs(int maxCount, long maxBytes, Duration refresh) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
    this.refreshNanos = refresh.toNanos();
  }

  int maxCount() {
    return maxCount;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Whether the database is shared, so that these are approximate between two reads. */
  boolean shared() {
    return refreshNanos > 0;
  }

  /** Replaces what it holds with the backlogs stored in the database. */
  void load(Transaction tx) throws SQLException {
    Map<DestinationId, long[]> read = new HashMap<>();
    long sum = 0;
    try (ResultSet rs = tx.statement(OutboxSql.BACKLOGS).executeQuery()) {
      while (rs.next()) {
        read.put(DestinationId.of(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(3)});
        sum += rs.getLong(2);
      }
    }
    synchronized (this) {
      byDestination = read;
      total = sum;
      loadedAt = System.nanoTime();
    }
  }

  /** Reads the backlogs again inside {@code tx} when they are shared and older than the refresh interval. */
  void refreshIfStale(Transaction tx) throws SQLException {
    if (stale()) {
      load(tx);
    }
  }

  /** Reads the backlogs again in a transaction of its own when they are shared and stale. */
  void refreshIfStale(Database db) {
    if (stale()) {
      db.transaction("read the backlogs", tx -> {
        load(tx);
        return null;
      });
    }
  }

  private synchronized boolean stale() {
    return refreshNanos > 0 && System.nanoTime() - loadedAt >= refreshNanos;
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
        db.transaction("read the backlogs", tx -> {
          load(tx);
          return null;
        });
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /** Whether {@code count} more deliveries of {@code bytes} in all fit the destination's bounds. */
  synchronized boolean hasRoomFor(DestinationId destination, long count, long bytes) {
    return count(destination) + count <= maxCount && bytes(destination) + bytes <= maxBytes;
  }

  /** Adds {@code count} deliveries of {@code bytes} in all (negative to take them away). */
  synchronized void add(DestinationId destination, long count, long bytes) {
    long[] b = byDestination.computeIfAbsent(destination, d -> new long[2]);
    b[0] += count;
    b[1] += bytes;
    total += count;
    if (b[0] <= 0) {
      // Where others share the database, this process may take away more than it knew of.
      total -= b[0];
      byDestination.remove(destination);
    }
  }

  synchronized void clear(DestinationId destination) {
    long[] b = byDestination.remove(destination);
    if (b != null) {
      total -= b[0];
    }
  }

  synchronized long count(DestinationId destination) {
    long[] b = byDestination.get(destination);
    return b == null ? 0 : b[0];
  }

  synchronized long bytes(DestinationId destination) {
    long[] b = byDestination.get(destination);
    return b == null ? 0 : b[1];
  }

  synchronized long total() {
    return total;
  }

  synchronized Set<DestinationId> destinations() {
    return Set.copyOf(byDestination.keySet());
  }
}
