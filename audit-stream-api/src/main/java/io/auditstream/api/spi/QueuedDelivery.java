package io.auditstream.api.spi;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event waiting to be delivered to one destination, with its delivery schedule. A queue knows
 * a delivery by its {@link #key()}: the destination and the event's id (an event reaches a
 * destination once).
 *
 * @param destinationId where it goes
 * @param event the event and its payload
 * @param enqueuedAt when it was accepted (or, for a redelivered dead letter, redelivered); its age,
 *     which bounds its retries, counts from here
 * @param attempts failed attempts so far
 * @param nextAttemptAt when it may be attempted next; at {@code enqueuedAt} for a new delivery
 * @param lastError what the last failed attempt said (never a secret), if any
 */
public record QueuedDelivery(DestinationId destinationId, EncodedEvent event, Instant enqueuedAt, int attempts,
    Instant nextAttemptAt, Optional<String> lastError) {
  /**
   * Creates the delivery.
   *
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when {@code attempts} is negative
   */
  public QueuedDelivery {
    Objects.requireNonNull(destinationId, "destinationId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(lastError, "lastError");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative (was " + attempts + ")");
    }
  }

  /** A new delivery, due at once. */
  public QueuedDelivery(DestinationId destinationId, EncodedEvent event, Instant enqueuedAt) {
    this(destinationId, event, enqueuedAt, 0, enqueuedAt, Optional.empty());
  }

  /** The event's stable id. */
  public String eventId() {
    return event.event().id();
  }

  /** What identifies the delivery in a queue. */
  public Key key() {
    return new Key(destinationId, eventId());
  }

  /** This delivery after one more failed attempt, due again at {@code nextAttemptAt}. */
  public QueuedDelivery failedAttempt(Instant nextAttemptAt, String error) {
    return new QueuedDelivery(destinationId, event, enqueuedAt, attempts + 1, nextAttemptAt,
        Optional.ofNullable(error));
  }

  /**
   * A delivery's identity in a queue.
   *
   * @param destinationId the destination
   * @param eventId the event's id
   */
  public record Key(DestinationId destinationId, String eventId) {
    /**
     * Creates the key.
     *
     * @throws NullPointerException when a component is null
     */
    public Key {
      Objects.requireNonNull(destinationId, "destinationId");
      Objects.requireNonNull(eventId, "eventId");
    }
  }
}
