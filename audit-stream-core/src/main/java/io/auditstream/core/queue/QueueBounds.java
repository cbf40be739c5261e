package io.auditstream.core.queue;

import static io.auditstream.core.queue.InMemoryDeliveryQueue.DEFAULT_MAX_BYTES_PER_DESTINATION;
import static io.auditstream.core.queue.InMemoryDeliveryQueue.DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION;
import static io.auditstream.core.queue.InMemoryDeliveryQueue.DEFAULT_MAX_DELIVERIES;
import static io.auditstream.core.queue.InMemoryDeliveryQueue.DEFAULT_MAX_EVENTS_PER_DESTINATION;

import io.auditstream.api.ValidationException;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;

/**
 * Internal: the bounds of an {@link InMemoryDeliveryQueue} (its class javadoc says what each bounds),
 * checked when it is built, and the check {@link InMemoryDeliveryQueue#offer} makes of each delivery.
 * Immutable.
 */
record QueueBounds(int maxEventsPerDestination, long maxBytesPerDestination, int maxDeliveries,
    int maxDeadLettersPerDestination) {
  /** Every bound at its default. */
  static final QueueBounds DEFAULTS = new QueueBounds(DEFAULT_MAX_EVENTS_PER_DESTINATION,
      DEFAULT_MAX_BYTES_PER_DESTINATION, DEFAULT_MAX_DELIVERIES, DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION);

  /**
   * The default bounds, but at most {@code capacity} deliveries in all.
   *
   * @throws IllegalArgumentException when {@code capacity} is less than 1
   */
  static QueueBounds withCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 (was " + capacity + ")");
    }
    return new QueueBounds(DEFAULT_MAX_EVENTS_PER_DESTINATION, DEFAULT_MAX_BYTES_PER_DESTINATION, capacity,
        DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION);
  }

  /**
   * These bounds, each checked.
   *
   * @throws ValidationException naming each bound out of range
   */
  static QueueBounds validated(int maxEventsPerDestination, long maxBytesPerDestination, int maxDeliveries,
      int maxDeadLettersPerDestination) {
    ValidationException.Collector v = ValidationException.collector();
    v.check(maxEventsPerDestination >= 1, "maxEventsPerDestination",
        "maxEventsPerDestination must be at least 1 (was " + maxEventsPerDestination + ")");
    v.check(maxBytesPerDestination >= 1, "maxBytesPerDestination",
        "maxBytesPerDestination must be at least 1 (was " + maxBytesPerDestination + ")");
    v.check(maxDeliveries >= 1, "maxDeliveries", "maxDeliveries must be at least 1 (was " + maxDeliveries + ")");
    v.check(maxDeadLettersPerDestination >= 0, "maxDeadLettersPerDestination",
        "maxDeadLettersPerDestination must be zero or more (was " + maxDeadLettersPerDestination + ")");
    v.throwIfAny();
    return new QueueBounds(maxEventsPerDestination, maxBytesPerDestination, maxDeliveries,
        maxDeadLettersPerDestination);
  }

  /**
   * Whether {@code d} fits in a queue that holds {@code total} deliveries, {@code count} of them of
   * {@code bytes} payload for its destination: {@link Offer#ACCEPTED}, or the bound it would break. The
   * destination's own bounds come first, so that a destination that is down is reported as full even
   * when the whole queue is full too.
   */
  Offer room(int count, long bytes, QueuedDelivery d, int total) {
    if (count >= maxEventsPerDestination || bytes + d.event().json().length > maxBytesPerDestination) {
      return Offer.DESTINATION_FULL;
    }
    if (total >= maxDeliveries) {
      return Offer.QUEUE_FULL;
    }
    return Offer.ACCEPTED;
  }
}
