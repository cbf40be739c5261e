package io.auditstream.testing;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.DestinationId;

/**
 * One event as a {@link RecordingSinkProvider} sink received it.
 *
 * @param destinationId the destination it was delivered to
 * @param destinationName that destination's name at the time
 * @param event the event
 * @param json the exact payload the engine encoded
 * @param attempt which delivery attempt to that destination succeeded, starting at 1
 */
public record ReceivedEvent(
    DestinationId destinationId, String destinationName, AuditEvent event, String json, int attempt) {

  /** The event's type. */
  public String eventType() {
    return event.eventType();
  }
}
