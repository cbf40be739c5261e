package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Leases in a database that one process holds exclusively (the embedded SQLite store): a destination
 * is always free to lease, a lease is the row's state alone, and every leased row at a start was left
 * by a previous run of this process. Internal; may change without notice.
 */
final class ExclusiveClaims implements LeaseClaims {
  // One connection holds the database exclusively, so no row lock is needed. INDEXED BY: walking the
  // backlog in insertion order stops after the limit, or where the caller stops reading.
  private static final String LEASABLE = "SELECT d.seq, d.event_id, d.attempts, d.enqueued_at,"
      + " d.next_attempt_at, d.last_error, d.size, e.payload"
      + " FROM deliveries d INDEXED BY deliveries_order JOIN events e ON e.event_id = d.event_id"
      + " WHERE d.destination_id = ? AND d.state = 'pending'"
      + " ORDER BY d.seq LIMIT ?";

  private static final String MARK_LEASED = "UPDATE deliveries SET state = 'leased' WHERE seq = ?";

  // When the oldest pending delivery is due: leases go in order, so nothing is leased before it.
  private static final String NEXT_DUE = "SELECT next_attempt_at FROM deliveries"
      + " WHERE destination_id = ? AND state = 'pending' ORDER BY seq LIMIT 1";

  private static final String RELEASE_ALL = "UPDATE deliveries SET state = 'pending'"
      + " WHERE destination_id = ? AND state = 'leased'";

  @Override
  public boolean claim(Transaction tx, DestinationId destination, long now) {
    return true;
  }

  @Override
  public String reschedule() {
    return OutboxSql.RESCHEDULE;
  }

  @Override
  public String release() {
    return OutboxSql.RELEASE;
  }

  @Override
  public void bindOwner(PreparedStatement statement, int index) {
    // Every lease is this process's.
  }

  @Override
  public PreparedStatement leasable(Transaction tx, DestinationId destination, int max, long now)
      throws SQLException {
    PreparedStatement select = tx.statement(LEASABLE);
    select.setString(1, destination.value());
    select.setInt(2, max);
    return select;
  }

  @Override
  public void markLeased(Transaction tx, long seq, long now) throws SQLException {
    PreparedStatement mark = tx.statement(MARK_LEASED);
    mark.setLong(1, seq);
    mark.executeUpdate();
  }

  @Override
  public Optional<Instant> nextDue(Transaction tx, DestinationId destination, long now) throws SQLException {
    PreparedStatement select = tx.statement(NEXT_DUE);
    select.setString(1, destination.value());
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? Optional.of(EpochNanos.toInstant(rs.getLong(1))) : Optional.empty();
    }
  }

  @Override
  public int releaseAll(Transaction tx, Set<DestinationId> destinations) throws SQLException {
    PreparedStatement update = tx.statement(RELEASE_ALL);
    int released = 0;
    for (DestinationId destination : destinations) {
      update.setString(1, destination.value());
      released += update.executeUpdate();
    }
    return released;
  }
}
