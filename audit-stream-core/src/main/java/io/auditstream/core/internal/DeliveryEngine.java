package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.DeliveryStats;
import io.auditstream.core.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Routes streamed events to the destinations that want them and delivers them: a bounded,
 * non-blocking ingress; a delivery queue bounded per destination; one delivery lane per destination,
 * with a window of deliveries in flight and no thread waiting on the network, so a slow or failing
 * destination holds only its own work; retries on a schedule, bounded by age,
 * with a destination that is down probed by its oldest batch alone; dead letters; inactive and paused
 * destinations holding back their backlogs. Internal; may change without notice: {@code
 * io.auditstream.core} is its only user, hosts use {@code AuditStreamer}.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface DeliveryEngine {
  /**
   * An engine that is not running yet: call {@link #start()}.
   *
   * @param store where the destinations are read from at {@link #start()}
   * @param sinks makes each destination's sink
   * @param queue where deliveries wait
   * @param retryPolicy how transient failures are retried
   * @param ingressCapacity the bound of events accepted but not yet routed
   * @param clock the source of enqueue times, attempt times, ages and status timestamps
   * @param listener hears of dead letters and dropped deliveries, on the engine's threads
   * @throws IllegalArgumentException when {@code ingressCapacity} is less than 1
   * @throws NullPointerException when another argument is null
   */
  static DeliveryEngine create(DestinationStore store, SinkFactory sinks, DeliveryQueue queue,
      RetryPolicy retryPolicy, int ingressCapacity, Clock clock, DeliveryListener listener) {
    return create(store, sinks, queue, retryPolicy, ingressCapacity, clock, listener, Duration.ZERO,
        DestinationPauser.NONE);
  }

  /**
   * As {@link #create(DestinationStore, SinkFactory, DeliveryQueue, RetryPolicy, int, Clock, DeliveryListener)},
   * pausing a destination whose oldest delivery has kept failing (transient failures, no success in
   * between) for {@code autoPauseAfter}: {@code pauser} saves the pause, the engine logs it at WARN and
   * tells the listener's {@code onPaused}.
   *
   * @param autoPauseAfter how long a destination may keep failing before it is paused; zero: never
   * @param pauser saves an automatic pause (and tells the engine through {@link #destinationSaved})
   * @throws IllegalArgumentException when {@code ingressCapacity} is less than 1 or {@code autoPauseAfter}
   *     is negative
   * @throws NullPointerException when an argument is null
   */
  static DeliveryEngine create(DestinationStore store, SinkFactory sinks, DeliveryQueue queue,
      RetryPolicy retryPolicy, int ingressCapacity, Clock clock, DeliveryListener listener, Duration autoPauseAfter,
      DestinationPauser pauser) {
    return new Dispatcher(store, sinks, queue, retryPolicy, ingressCapacity, clock, listener, autoPauseAfter, pauser);
  }

  /**
   * As {@link #create(DestinationStore, SinkFactory, DeliveryQueue, RetryPolicy, int, Clock, DeliveryListener,
   * Duration, DestinationPauser)}, telling {@code observer} the outcome of every attempt (on the engine's
   * threads; one that throws is logged and ignored), and spreading deliveries as {@code settings} say: how
   * many of one destination may be in flight at once, how many delivery threads run the lanes, how long a
   * delivery may go unanswered.
   *
   * @param observer hears of deliveries made, attempts failed and dead letters, for metrics; {@link
   *     DeliveryObserver#NONE} costs nothing
   * @throws NullPointerException when an argument is null
   */
  static DeliveryEngine create(DestinationStore store, SinkFactory sinks, DeliveryQueue queue,
      RetryPolicy retryPolicy, int ingressCapacity, Clock clock, DeliveryListener listener, DeliveryObserver observer,
      Duration autoPauseAfter, DestinationPauser pauser, DeliverySettings settings) {
    return new Dispatcher(store, sinks, queue, retryPolicy, ingressCapacity, clock, listener, observer, autoPauseAfter,
        pauser, settings);
  }

  /** As {@link #create(DestinationStore, SinkFactory, DeliveryQueue, RetryPolicy, int, Clock, DeliveryListener)}, with no listener. */
  static DeliveryEngine create(DestinationStore store, SinkFactory sinks, DeliveryQueue queue,
      RetryPolicy retryPolicy, int ingressCapacity, Clock clock) {
    return create(store, sinks, queue, retryPolicy, ingressCapacity, clock, DeliveryListener.NONE);
  }

  /**
   * Loads the destinations from the store, resumes the deliveries the queue holds (a durable queue
   * may keep some from before a restart; those of destinations that no longer exist are removed),
   * and starts routing. Runs once; later calls, and calls after {@link #close}, do nothing.
   */
  void start();

  /**
   * Accepts an event for routing, on the host's thread: never blocks and does no I/O.
   *
   * @return true if accepted, including an event whose top-level group has no active destination
   *     (there is nothing to deliver); false if it was refused because the ingress queue is full
   *     (counted in {@link #droppedCount()} and logged) or the engine is closed (counted)
   */
  boolean stream(AuditEvent event);

  /**
   * As {@link #stream}, with a future that completes once the event's deliveries are stored in the
   * delivery queue (committed, for a durable queue), or exceptionally with an {@link
   * io.auditstream.api.AuditStreamException} saying why they were not (ingress full, closed, the queue
   * failed). Never blocks; the future completes on an engine thread, never the routing thread.
   */
  CompletableFuture<Void> submit(AuditEvent event);

  /**
   * Waits until every accepted event is routed and the queue of every destination that delivers (active
   * and not paused) is empty, or {@code timeout} passed. Inactive and paused destinations' queues are not
   * waited for. Blocks the caller.
   *
   * @return whether everything was delivered or given up on in time
   */
  boolean flush(Duration timeout);

  /**
   * Whether the engine takes and delivers events: started, not closed, its routing thread alive and
   * its delivery pools running. For health checks; never blocks.
   */
  boolean running();

  /**
   * Stops accepting events, flushes for up to {@code timeout}, then stops the engine's threads and
   * closes every sink. What is left undelivered stays in a durable queue (logged as a count); what an
   * in-memory queue holds, and what was accepted but not routed, is reported as dropped with reason
   * {@code "closed"}: logged with the event ids, counted, told to the listener. Idempotent. Does not
   * close the store or the queue.
   */
  void close(Duration timeout);

  /** Events refused because the ingress queue was full, since start. */
  long droppedCount();

  /** The host-level counters, since start. */
  DeliveryStats stats();

  /** The delivery health of a destination ({@link DestinationStatus#empty} if it saw nothing). */
  DestinationStatus status(DestinationId id);

  /**
   * Encodes {@code event} and queues it for {@code destination} alone, bypassing routing and
   * filters; returns at once. An inactive or paused destination keeps it queued until it delivers again.
   *
   * @return false when the queue had no room or the engine is closed
   * @throws IllegalArgumentException when the event cannot be encoded
   */
  boolean enqueueDirect(Destination destination, AuditEvent event);

  /**
   * A destination was created or changed (any field, including active, paused and filters) and saved:
   * it is routed to from now on, a change of its settings gets it a new sink, and one that is paused
   * holds back its backlog until it is saved resumed.
   */
  void destinationSaved(Destination destination);

  /** A destination was deleted: it is routed to no more, its sink is closed, its queue dropped. */
  void destinationDeleted(Destination destination);

  /** A destination's dead letters, oldest first, at most {@code limit}. */
  List<DeadLetter> deadLetters(DestinationId id, int limit);

  /** Makes pending again the destination's dead letters of these event ids, and wakes its lane; returns how many. */
  int redeliver(DestinationId id, Collection<String> eventIds);

  /** Makes pending again the destination's dead letters given up on at or after {@code since}; returns how many. */
  int redeliverSince(DestinationId id, Instant since);
}
