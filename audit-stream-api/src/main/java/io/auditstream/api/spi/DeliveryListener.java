package io.auditstream.api.spi;

import io.auditstream.api.destination.DestinationId;

/**
 * Hears about deliveries that will not reach their destination, so that an operator can act on them
 * (alert, keep a record, redeliver): each dead letter when it is made, each delivery that was
 * dropped, and each destination the engine paused because it kept failing. A host registers one with
 * the streamer's builder; by default nobody listens, and all of these are still counted or logged (dead
 * letters and drops with the event ids, an automatic pause at WARN).
 *
 * <p>The engine calls it from its own threads (routing, delivery, shutdown), never from the thread
 * of a host that streams an event or manages destinations. Calls may come from several threads at
 * once: implementations must be thread-safe, and should return quickly (a slow listener holds up
 * the thread that calls it, never another destination's deliveries). A listener that throws is
 * logged and otherwise ignored.
 */
public interface DeliveryListener {
  /** A listener that does nothing. */
  DeliveryListener NONE = new DeliveryListener() {};

  /**
   * A delivery was given up on and kept as a dead letter: its destination refused it for good, or it
   * aged out of its retries. An Owner can list and redeliver it.
   */
  default void onDeadLetter(DeadLetter deadLetter) {}

  /**
   * An accepted event will not be delivered to {@code destination} and is not kept: its destination's
   * backlog (or the whole in-memory queue) was at its bound, the queue failed to store it, or the
   * streamer closed with it still in an in-memory queue.
   *
   * @param reason why, in a few words, for example {@code "destination backlog full"} or {@code "closed"}
   */
  default void onDropped(DestinationId destination, String eventId, String reason) {}

  /**
   * The engine paused {@code destination} automatically, because its oldest delivery kept failing for
   * the streamer's {@code autoPauseAfter}: events are still routed to it and wait in its backlog, but
   * none is delivered until one of its group's Owners resumes it. Pauses and resumes made by Owners are
   * not reported here (the host made those calls itself).
   *
   * @param reason the reason saved with the destination, for example {@code "paused automatically after
   *     failing for 1 day: HTTP 503"}
   */
  default void onPaused(DestinationId destination, String reason) {}
}
