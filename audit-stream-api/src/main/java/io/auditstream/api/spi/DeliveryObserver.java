package io.auditstream.api.spi;

import io.auditstream.api.destination.Destination;
import java.time.Instant;
import java.util.List;

/**
 * Hears how each delivery attempt ended, so that a host can keep metrics: deliveries accepted by their
 * destination (with how long each waited since it was accepted), failed attempts, and deliveries given up
 * on. A host registers one with the streamer's builder ({@code deliveryObserver}); by default nobody
 * observes. Unlike a {@link DeliveryListener}, which is for an operator to act on single events, an
 * observer sees every outcome, success included, in counts.
 *
 * <p>The engine calls it from its delivery threads, never from the thread of a host that streams an event
 * or manages destinations, and on the path of every delivery: implementations must be thread-safe (calls
 * come from several threads at once) and quick, with no I/O and no lock held for long (a slow observer
 * holds up the deliveries of the destination it is told about). An observer that throws is logged and
 * otherwise ignored: the delivery goes on as if it had returned.
 *
 * <p>Each outcome is told once, before the delivery queue records it, so that once {@code flush} returned
 * the observer has heard of every delivery it waited for. Every method does nothing unless overridden.
 */
public interface DeliveryObserver {
  /** An observer that does nothing; the engine does no work for it. */
  DeliveryObserver NONE = new DeliveryObserver() {};

  /**
   * {@code destination} accepted {@code deliveries} at {@code at}. The latency of each is {@code at}
   * minus its {@link QueuedDelivery#enqueuedAt()}, retries included.
   *
   * @param destination where they were delivered
   * @param deliveries what was delivered, never empty; read-only, and valid only during the call (copy
   *     what is kept)
   * @param at when the destination's answer was taken in, on the streamer's clock
   */
  default void delivered(Destination destination, List<QueuedDelivery> deliveries, Instant at) {}

  /**
   * An attempt to deliver to {@code destination} failed. Not called for a batch refused for good that the
   * engine splits to try its events one at a time: each of those attempts is told on its own.
   *
   * @param destination where the attempt went
   * @param deliveries when {@code retried}, how many deliveries of the attempt were rescheduled for another
   *     attempt; otherwise how many the attempt carried, all of them given up on
   * @param retried whether deliveries were rescheduled; those given up on instead (refused for good, or
   *     aged out of their retries) are told to {@link #deadLettered} too
   */
  default void attemptFailed(Destination destination, int deliveries, boolean retried) {}

  /**
   * {@code deliveries} of {@code destination} were given up on and kept as dead letters: refused for good,
   * aged out of their retries, or of a kind whose sink is missing.
   *
   * @param destination whose deliveries they were
   * @param deliveries how many, at least 1
   */
  default void deadLettered(Destination destination, int deliveries) {}
}
