package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * How the outbox claims a destination's deliveries for sending, and gives claims back: {@link
 * ExclusiveClaims} where one process holds the database (a lease lasts until that process returns it
 * or restarts), {@link SharedClaims} where several share it (a lease names its owner and ends at a
 * time, after which another process may take it over). Each method runs inside one of the outbox's
 * transactions; {@code now} is the store clock's time in nanoseconds since the epoch.
 *
 * <p>Thread-safe (stateless between calls). Internal; may change without notice.
 */
interface LeaseClaims {
  /**
   * Takes the right to lease the destination's deliveries in this transaction; false, and nothing is
   * to be leased, when another process works the destination now.
   */
  boolean claim(Transaction tx, DestinationId destination, long now) throws SQLException;

  /**
   * The destination's deliveries that a lease may take, oldest first, whether due or not, bound and
   * ready to run, with the columns {@link DeliveryRows#due} reads: {@code seq}, {@code event_id},
   * {@code attempts}, {@code enqueued_at}, {@code next_attempt_at}, {@code last_error}, {@code size},
   * {@code payload}.
   */
  PreparedStatement leasable(Transaction tx, DestinationId destination, int max, long now) throws SQLException;

  /** Marks the row leased by this process. */
  void markLeased(Transaction tx, long seq, long now) throws SQLException;

  /**
   * The statement that returns a failed delivery to pending with its new schedule ({@link
   * OutboxSql#RESCHEDULE}'s parameters, then those {@link #bindOwner} adds): only a pending row, or one
   * this process leases, so that a process whose lease ended meanwhile leaves another's claim alone.
   */
  String reschedule();

  /** As {@link #reschedule}, for returning a leased delivery unchanged ({@link OutboxSql#RELEASE}). */
  String release();

  /** Binds, from {@code index} on, what {@link #reschedule} and {@link #release} add to the shared statements. */
  void bindOwner(PreparedStatement statement, int index) throws SQLException;

  /** When a lease of the destination may next hand something out, if it has deliveries to lease. */
  Optional<Instant> nextDue(Transaction tx, DestinationId destination, long now) throws SQLException;

  /**
   * Returns this process's leased deliveries to pending, schedule unchanged (what a previous run of it
   * left leased); {@code destinations} are those the outbox knows to have a backlog. Returns how many.
   */
  int releaseAll(Transaction tx, Set<DestinationId> destinations) throws SQLException;
}
