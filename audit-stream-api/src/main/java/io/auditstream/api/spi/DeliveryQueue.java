package io.auditstream.api.spi;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where deliveries wait between {@code stream(event)} and their destination's acknowledgement, and
 * where those given up on are kept as dead letters. The engine's default keeps them in memory; a
 * durable implementation (an outbox in an embedded database, or PostgreSQL) makes delivery survive
 * a crash of the host: what was accepted and not delivered is delivered after a restart, with the
 * same event id and the same retry schedule.
 *
 * <p>A delivery is pending (waiting for its next attempt), leased (an attempt is in flight), or a
 * dead letter. A queue knows a delivery by its {@link QueuedDelivery#key() key}: the methods that take
 * deliveries find them by key, so a copy (such as a {@link QueuedDelivery#failedAttempt} copy) names
 * the same delivery, and one the queue no longer holds (its destination was deleted meanwhile) is
 * ignored. Per destination, deliveries go out in the order they were offered (a redelivered dead
 * letter counts as offered when it was redelivered), head of line: {@link #lease} hands out the
 * oldest pending deliveries and stops at the first that is not due yet, so that one waiting for its
 * retry holds back the newer deliveries of its destination (and no other destination's).
 *
 * <p>Bounds: each destination's backlog (pending and leased) is bounded by the implementation (events
 * and bytes), so that a destination that is down never takes room from another; an in-memory queue
 * also bounds the total. {@link #offer} reports which bound refused a delivery.
 *
 * <p>Implementations must be thread-safe. The engine calls {@link #offer} on its routing thread,
 * never the host's, with the deliveries of many events at once: a durable queue writes them in one
 * transaction (group commit) and returns once they are stored. No method may block on the network.
 */
public interface DeliveryQueue extends AutoCloseable {
  /** What became of one offered delivery. */
  enum Offer {
    /** Stored: it will be delivered or end as a dead letter. */
    ACCEPTED,
    /** Refused: its destination's backlog is at its bound. Other destinations are not affected. */
    DESTINATION_FULL,
    /** Refused: the queue as a whole is at its bound (in-memory queues only). */
    QUEUE_FULL
  }

  /**
   * One delivery that {@link #drainInbox} stored or refused.
   *
   * @param delivery the delivery the router asked for
   * @param outcome whether it was stored ({@link Offer#ACCEPTED}) or which bound refused it
   */
  record InboxDelivery(QueuedDelivery delivery, Offer outcome) {
    /** @throws NullPointerException when an argument is null */
    public InboxDelivery {
      Objects.requireNonNull(delivery, "delivery");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * Adds deliveries, each where its destination's bound allows, in one step: when it returns, those
   * accepted are stored (durably, for a durable queue). A delivery whose key the queue holds already
   * is accepted without a second copy.
   *
   * @return one outcome per delivery, in the order given
   */
  List<Offer> offer(List<QueuedDelivery> deliveries);

  /**
   * Leases up to {@code max} of a destination's oldest pending deliveries, in the order they were
   * offered, stopping at the first whose next attempt is not due at {@code now}: when the oldest
   * pending delivery is not due, it leases none (even when newer ones are due), and {@link #nextDue}
   * says when it will be. They stay in the queue, leased, until {@link #remove}, {@link #reschedule},
   * {@link #deadLetter} or {@link #release}. {@code now} may be any instant up to {@link Instant#MAX}
   * (the engine's age check passes that to read the oldest pending deliveries whatever their schedule).
   */
  List<QueuedDelivery> lease(DestinationId destination, int max, Instant now);

  /** Removes leased deliveries that were delivered. */
  void remove(Collection<QueuedDelivery> delivered);

  /**
   * Returns leased deliveries whose attempt failed to pending, each as given: the caller passes
   * {@link QueuedDelivery#failedAttempt} copies, with one more attempt, the next attempt's time and
   * the error. A durable queue stores the new schedule, so that it survives a restart.
   */
  void reschedule(Collection<QueuedDelivery> failed);

  /**
   * Turns leased or pending deliveries into dead letters, with the time and the reason. Each dead letter
   * keeps the attempts of the delivery as given (the engine passes {@link QueuedDelivery#failedAttempt}
   * copies when the last attempt counts).
   */
  void deadLetter(Collection<QueuedDelivery> deliveries, Instant at, String reason);

  /** Returns leased deliveries that were not attempted to pending, unchanged. */
  void release(Collection<QueuedDelivery> deliveries);

  /**
   * Returns every leased delivery to pending. The engine calls it once when it starts, before any
   * {@link #lease}, so that deliveries leased by a previous run (which crashed or was stopped during a
   * delivery) are delivered again. The default does nothing, which suits queues whose leases do not
   * outlive the process.
   */
  default void releaseAllLeases() {}

  /** Removes every delivery and dead letter of a destination (it was deleted); returns how many deliveries. */
  int removeAll(DestinationId destination);

  /** Deliveries pending or leased for a destination (dead letters not included). */
  int size(DestinationId destination);

  /** Deliveries pending or leased in all. */
  int size();

  /** The destinations that have deliveries pending or leased, so a restart can resume them. */
  Set<DestinationId> destinations();

  /**
   * When the oldest pending delivery of a destination (the next one {@link #lease} hands out) is due,
   * if it has one.
   */
  Optional<Instant> nextDue(DestinationId destination);

  /** A destination's dead letters, oldest first, at most {@code limit}. */
  List<DeadLetter> deadLetters(DestinationId destination, int limit);

  /** How many dead letters a destination has. */
  int deadLetterCount(DestinationId destination);

  /**
   * Turns a destination's dead letters back into pending deliveries, due at {@code now} with their
   * attempts reset and their age counted from {@code now} ({@link QueuedDelivery#enqueuedAt()} is
   * {@code now}), behind the destination's other deliveries: those whose event id is in {@code
   * eventIds}.
   *
   * @return how many were redelivered
   */
  int redeliver(DestinationId destination, Collection<String> eventIds, Instant now);

  /**
   * As {@link #redeliver(DestinationId, Collection, Instant)}, for every dead letter of the
   * destination given up on at or after {@code since}.
   */
  int redeliverSince(DestinationId destination, Instant since, Instant now);

  /**
   * How often the engine looks in the queue for work it did not put there itself: deliveries that
   * other processes sharing the queue offered, or left leased when they stopped, and events that host
   * transactions appended ({@link #drainInbox}). {@link Duration#ZERO}, the default, for a queue that
   * only this engine writes to: it then learns of all its work from its own calls.
   */
  default Duration pollInterval() {
    return Duration.ZERO;
  }

  /**
   * Appends an event to the queue's inbox inside the caller's own database transaction on {@code
   * connection} (the transactional outbox): the event exists for delivery if and only if that
   * transaction commits, and is routed by {@link #drainInbox} once it has. Does not commit, roll back or
   * close the connection.
   *
   * @param connection the host's connection, in the transaction that makes the business change
   * @param event the event and its payload, encoded by the engine
   * @throws UnsupportedOperationException when the queue has no inbox (the default)
   * @throws SQLException when the database refuses the insert; the caller's transaction decides what
   *     follows
   */
  default void appendInTransaction(Connection connection, EncodedEvent event) throws SQLException {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " has no inbox for events appended in a host transaction; use a durable outbox on a shared database");
  }

  /**
   * Routes events that committed host transactions appended ({@link #appendInTransaction}): takes up to
   * {@code max} of them, oldest first, skipping those another process is routing; asks {@code router} for
   * each one's deliveries; stores those deliveries as {@link #offer} does; and removes the events from
   * the inbox, all in one transaction, so that each event is routed once however many processes drain.
   * The default, for a queue without an inbox, routes nothing.
   *
   * @param router the deliveries an event's destinations want, from the engine's routing table
   * @return every delivery the router asked for, with its outcome
   */
  default List<InboxDelivery> drainInbox(int max, Function<EncodedEvent, List<QueuedDelivery>> router) {
    return List.of();
  }

  @Override
  default void close() {}
}
