package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Leases in a PostgreSQL database that several processes share. A lease names its owner (the store's
 * instance id) and ends at a time ({@code lease_until}, the store clock's time of the lease plus the
 * lease duration); after that another process may take it over, so the claims of a process that died
 * are delivered by the others.
 *
 * <p>One process at a time works a destination, so that its deliveries go out in order and a
 * destination that is down is probed by one process, not all: a lease first takes a transaction-scoped
 * advisory lock on the destination (leasers of one destination run one after the other, across
 * processes), then leases nothing while another owner holds a live lease on any of its deliveries;
 * otherwise it takes the oldest deliveries that are pending, or leased with an expired lease, in
 * order, locking their rows ({@code FOR UPDATE SKIP LOCKED}).
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
final class SharedClaims implements LeaseClaims {
  private static final String LOCK = "SELECT pg_advisory_xact_lock(?)";

  private static final String OTHERS_LIVE_LEASE = "SELECT MAX(lease_until) FROM deliveries"
      + " WHERE destination_id = ? AND state = 'leased' AND lease_owner <> ? AND lease_until >= ?";

  private static final String LEASABLE = "SELECT d.seq, d.event_id, d.attempts, d.enqueued_at,"
      + " d.next_attempt_at, d.last_error, d.size, e.payload"
      + " FROM deliveries d JOIN events e ON e.event_id = d.event_id"
      + " WHERE d.destination_id = ? AND (d.state = 'pending' OR d.state = 'leased' AND d.lease_until < ?)"
      + " ORDER BY d.seq LIMIT ? FOR UPDATE OF d SKIP LOCKED";

  private static final String MARK_LEASED = "UPDATE deliveries SET state = 'leased', lease_owner = ?,"
      + " lease_until = ? WHERE seq = ?";

  // The next delivery a lease of this process would take: pending, or leased by another owner (whose
  // lease has ended, as another's live lease is looked at first) or by this one with an ended lease.
  private static final String HEAD = "SELECT state, lease_until, next_attempt_at FROM deliveries"
      + " WHERE destination_id = ? AND (state = 'pending'"
      + " OR state = 'leased' AND (lease_owner <> ? OR lease_until < ?)) ORDER BY seq LIMIT 1";

  // A process whose lease ended while its attempt was in flight may have lost the row to another one.
  private static final String RESCHEDULE = OutboxSql.RESCHEDULE + " AND (state = 'pending' OR lease_owner = ?)";

  private static final String RELEASE = OutboxSql.RELEASE + " AND lease_owner = ?";

  private static final String RELEASE_ALL = "UPDATE deliveries SET state = 'pending', lease_owner = NULL,"
      + " lease_until = NULL WHERE state = 'leased' AND lease_owner = ?";

  private final String schema;
  private final String owner;
  private final long durationNanos;

  /** Leases of {@code owner} in {@code schema}, each lasting {@code duration}. */
  SharedClaims(String schema, String owner, Duration duration) {
    this.schema = schema;
    this.owner = owner;
    this.durationNanos = duration.toNanos();
  }

  @Override
  public String reschedule() {
    return RESCHEDULE;
  }

  @Override
  public String release() {
    return RELEASE;
  }

  @Override
  public void bindOwner(PreparedStatement statement, int index) throws SQLException {
    statement.setString(index, owner);
  }

  @Override
  public boolean claim(Transaction tx, DestinationId destination, long now) throws SQLException {
    PreparedStatement lock = tx.statement(LOCK);
    lock.setLong(1, LockKeys.of("lease", schema, destination.value()));
    lock.execute();
    return othersLiveLease(tx, destination, now).isEmpty();
  }

  @Override
  public PreparedStatement leasable(Transaction tx, DestinationId destination, int max, long now)
      throws SQLException {
    PreparedStatement select = tx.statement(LEASABLE);
    select.setString(1, destination.value());
    select.setLong(2, now);
    select.setInt(3, max);
    return select;
  }

  @Override
  public void markLeased(Transaction tx, long seq, long now) throws SQLException {
    PreparedStatement mark = tx.statement(MARK_LEASED);
    mark.setString(1, owner);
    mark.setLong(2, saturatedAdd(now, durationNanos));
    mark.setLong(3, seq);
    mark.executeUpdate();
  }

  @Override
  public Optional<Instant> nextDue(Transaction tx, DestinationId destination, long now) throws SQLException {
    OptionalLong others = othersLiveLease(tx, destination, now);
    if (others.isPresent()) {
      // Nothing can be leased here before the other owner's lease ends (or it finishes sooner).
      return Optional.of(EpochNanos.toInstant(others.getAsLong()));
    }
    PreparedStatement select = tx.statement(HEAD);
    select.setString(1, destination.value());
    select.setString(2, owner);
    select.setLong(3, now);
    try (ResultSet rs = select.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      // A lease that ended is due at its end, which has passed: it is taken over at once.
      long at = rs.getString(1).equals("leased") ? rs.getLong(2) : rs.getLong(3);
      return Optional.of(EpochNanos.toInstant(at));
    }
  }

  @Override
  public int releaseAll(Transaction tx, Set<DestinationId> destinations) throws SQLException {
    // Only this owner's: a process that starts never takes the live leases of the others.
    PreparedStatement update = tx.statement(RELEASE_ALL);
    update.setString(1, owner);
    return update.executeUpdate();
  }

  private OptionalLong othersLiveLease(Transaction tx, DestinationId destination, long now) throws SQLException {
    PreparedStatement select = tx.statement(OTHERS_LIVE_LEASE);
    select.setString(1, destination.value());
    select.setString(2, owner);
    select.setLong(3, now);
    try (ResultSet rs = select.executeQuery()) {
      if (rs.next()) {
        long until = rs.getLong(1);
        if (!rs.wasNull()) {
          return OptionalLong.of(until);
        }
      }
      return OptionalLong.empty();
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
