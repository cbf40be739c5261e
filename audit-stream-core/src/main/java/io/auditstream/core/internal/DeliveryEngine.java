package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.RetryPolicy;
import java.time.Clock;
import java.time.Duration;

/**
 * Routes streamed events to the destinations that want them and delivers them: a bounded,
 * non-blocking ingress; one delivery lane per destination, so a slow or failing destination holds
 * only its own work; retries with backoff and a circuit breaker. Internal; may change without
 * notice: {@code io.auditstream.core} is its only user, hosts use {@code AuditStreamer}.
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
   * @param clock the source of enqueue times and status timestamps
   * @throws IllegalArgumentException when {@code ingressCapacity} is less than 1
   * @throws NullPointerException when another argument is null
   */
  static DeliveryEngine create(DestinationStore store, SinkFactory sinks, DeliveryQueue queue,
      RetryPolicy retryPolicy, int ingressCapacity, Clock clock) {
    return new Dispatcher(store, sinks, queue, retryPolicy, ingressCapacity, clock);
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
   *     (there is nothing to deliver); false if it was dropped because the ingress queue is full
   *     (counted in {@link #droppedCount()} and logged) or the engine is closed
   */
  boolean stream(AuditEvent event);

  /**
   * Waits until every accepted event is routed and every active destination's queue is empty, or
   * {@code timeout} passed. Inactive destinations' queues are not waited for. Blocks the caller.
   *
   * @return whether everything was delivered or given up on in time
   */
  boolean flush(Duration timeout);

  /**
   * Stops accepting events, flushes for up to {@code timeout}, then stops the engine's threads and
   * closes every sink. Deliveries still queued are logged at WARN (and stay in a durable queue).
   * Idempotent. Does not close the store or the queue.
   */
  void close(Duration timeout);

  /** Events dropped because the ingress queue was full, since start. */
  long droppedCount();

  /** The delivery health of a destination ({@link DestinationStatus#empty} if it saw nothing). */
  DestinationStatus status(DestinationId id);

  /**
   * Encodes {@code event} and queues it for {@code destination} alone, bypassing routing and
   * filters; returns at once. An inactive destination keeps it queued until it is active again.
   *
   * @return false when the queue had no room (counted on the destination's status) or the engine is
   *     closed
   * @throws IllegalArgumentException when the event cannot be encoded
   */
  boolean enqueueDirect(Destination destination, AuditEvent event);

  /**
   * A destination was created or changed (any field, including active and filters) and saved: it
   * is routed to from now on, and a change of its settings gets it a new sink.
   */
  void destinationSaved(Destination destination);

  /** A destination was deleted: it is routed to no more, its sink is closed, its queue dropped. */
  void destinationDeleted(Destination destination);
}
