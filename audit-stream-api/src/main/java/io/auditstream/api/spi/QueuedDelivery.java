package io.auditstream.api.spi;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * One event waiting to be delivered to one destination.
 *
 * @param destinationId where it goes
 * @param event the event and its payload
 * @param enqueuedAt when the host streamed it
 */
public record QueuedDelivery(DestinationId destinationId, EncodedEvent event, Instant enqueuedAt) {
  /**
   * Creates the delivery; every component is required.
   *
   * @throws NullPointerException when a component is null
   */
  public QueuedDelivery {
    Objects.requireNonNull(destinationId, "destinationId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
  }

  /** The event's stable id. */
  public String eventId() {
    return event.event().id();
  }
}
