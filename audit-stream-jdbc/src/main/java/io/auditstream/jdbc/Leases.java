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
 * transactions; how a destination is claimed, and what a lease records, is the {@link LeaseClaims}'.
 *
 * <p>Thread-safe (stateless). Internal; may change without notice.
 */
final class Leases {
  private final DeliveryRows rows;
  private final Backlogs backlogs;
  private final LeaseClaims claims;

  Leases(DeliveryRows rows, Backlogs backlogs, LeaseClaims claims) {
    this.rows = rows;
    this.backlogs = backlogs;
    this.claims = claims;
  }

  /**
   * Leases up to {@code max} of the destination's pending deliveries, oldest first, stopping at the
   * first that is not due at {@code now}; one whose payload cannot be decoded becomes a dead letter
   * instead. Leases nothing when another process works the destination.
   *
   * @param clockNow the store clock's time, in nanoseconds since the epoch, which leases end by
   */
  List<QueuedDelivery> lease(Transaction d, DestinationId destination, int max, Instant now, long clockNow)
      throws SQLException {
    // Where others share the database, they may have offered what this process does not count yet.
    if (!backlogs.shared() && backlogs.count(destination) == 0 || !claims.claim(d, destination, clockNow)) {
      return List.of();
    }
    List<QueuedDelivery> leased = new ArrayList<>();
    for (DeliveryRows.DueRow r : rows.due(claims.leasable(d, destination, max, clockNow), now)) {
      Optional<EncodedEvent> event = rows.decode(destination, r.eventId(), r.payload());
      if (event.isEmpty()) {
        DeliveryRows.markDead(d, r.seq(), r.attempts(), r.lastError(), now, "the stored event could not be read");
        backlogs.add(destination, -1, -r.size());
        continue;
      }
      claims.markLeased(d, r.seq(), clockNow);
      leased.add(new QueuedDelivery(destination, event.get(), EpochNanos.toInstant(r.enqueuedAt()), r.attempts(),
          EpochNanos.toInstant(r.nextAttemptAt()), Optional.ofNullable(r.lastError())));
    }
    return leased;
  }

  /**
   * Stores each delivery's attempts, next attempt time and last error, and returns it to pending;
   * returns how many were pending or leased.
   */
  int reschedule(Transaction d, Collection<QueuedDelivery> failed) throws SQLException {
    PreparedStatement update = d.statement(claims.reschedule());
    int rescheduled = 0;
    for (QueuedDelivery q : failed) {
      update.setInt(1, q.attempts());
      update.setLong(2, EpochNanos.of(q.nextAttemptAt()));
      DeliveryRows.setNullable(update, 3, q.lastError().orElse(null));
      update.setString(4, q.eventId());
      update.setString(5, q.destinationId().value());
      claims.bindOwner(update, 6);
      rescheduled += update.executeUpdate();
    }
    return rescheduled;
  }

  /** Returns leased deliveries to pending, schedule unchanged; returns how many were leased. */
  int release(Transaction d, Collection<QueuedDelivery> deliveries) throws SQLException {
    PreparedStatement update = d.statement(claims.release());
    int released = 0;
    for (QueuedDelivery q : deliveries) {
      update.setString(1, q.eventId());
      update.setString(2, q.destinationId().value());
      claims.bindOwner(update, 3);
      released += update.executeUpdate();
    }
    return released;
  }

  /** When the destination's next lease may hand something out, if it has deliveries to lease. */
  Optional<Instant> nextDue(Transaction d, DestinationId destination, long clockNow) throws SQLException {
    return !backlogs.shared() && backlogs.count(destination) == 0
        ? Optional.empty()
        : claims.nextDue(d, destination, clockNow);
  }

  /**
   * Returns the deliveries that an earlier run of this process left leased to pending, schedule
   * unchanged; returns how many there were.
   */
  int releaseAll(Transaction d) throws SQLException {
    return claims.releaseAll(d, backlogs.destinations());
  }
}
