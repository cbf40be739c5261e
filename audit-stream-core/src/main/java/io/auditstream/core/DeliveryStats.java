package io.auditstream.core;

/**
 * What the streamer did with the host's events since it started: a snapshot of its counters, from
 * {@link AuditStreamer#stats()}. Events are counted once each; deliveries once per event and
 * destination that wants it.
 *
 * @param accepted events {@link AuditStreamer#stream} or {@link AuditStreamer#submit} took (an event of
 *     a group without active destinations is accepted, and there is nothing to deliver)
 * @param refusedFull events refused because the ingress queue was full ({@link AuditStreamer#droppedCount()})
 * @param refusedClosed events refused because the streamer was closed
 * @param dropped deliveries of accepted events that will never be made and are not kept: refused by a
 *     full destination backlog or a full in-memory queue, not stored because the queue failed, or left
 *     in an in-memory queue when the streamer closed (each logged with its event id and reported to the
 *     {@link io.auditstream.api.spi.DeliveryListener})
 * @param delivered deliveries their destination accepted
 * @param deadLettered deliveries given up on and kept as dead letters (refused for good, or aged out)
 * @param refusedTooLarge events refused because their JSON payload is larger than the streamer's {@code
 *     maxEventBytes}
 */
public record DeliveryStats(long accepted, long refusedFull, long refusedClosed, long dropped, long delivered,
    long deadLettered, long refusedTooLarge) {
  /** Counters that are all zero. */
  public static final DeliveryStats ZERO = new DeliveryStats(0, 0, 0, 0, 0, 0, 0);

  /** As the canonical constructor, with no event refused for its size. */
  public DeliveryStats(long accepted, long refusedFull, long refusedClosed, long dropped, long delivered,
      long deadLettered) {
    this(accepted, refusedFull, refusedClosed, dropped, delivered, deadLettered, 0);
  }
}
