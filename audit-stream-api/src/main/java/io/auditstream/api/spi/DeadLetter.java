package io.auditstream.api.spi;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery given up on: its destination refused it for good, or it aged out of its retries. Kept
 * with its event, id and reason until an Owner redelivers it (or the destination is deleted).
 *
 * @param destinationId the destination
 * @param event the event and its payload, as it would have been sent
 * @param enqueuedAt when the event was accepted
 * @param attempts the attempts made
 * @param deadAt when it was given up on
 * @param reason why (never a secret)
 */
public record DeadLetter(DestinationId destinationId, EncodedEvent event, Instant enqueuedAt, int attempts,
    Instant deadAt, String reason) {
  /**
   * Creates the dead letter.
   *
   * @throws NullPointerException when a component is null
   */
  public DeadLetter {
    Objects.requireNonNull(destinationId, "destinationId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(deadAt, "deadAt");
    Objects.requireNonNull(reason, "reason");
  }

  /** The event's stable id. */
  public String eventId() {
    return event.event().id();
  }
}
