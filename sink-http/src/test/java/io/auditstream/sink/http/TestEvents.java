package io.auditstream.sink.http;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.sink.EncodedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The event the sink tests of this module deliver. */
final class TestEvents {
  private TestEvents() {}

  static EncodedEvent event(String eventType) {
    return event("evt-42", eventType);
  }

  /** The event with id {@code id}, its JSON as {@link #event(String)} has it. */
  static EncodedEvent event(String id, String eventType) {
    AuditEvent event = AuditEvent.builder()
        .id(id)
        .eventType(eventType)
        .author(7L, "Jane Doe")
        .entity(EntityType.PROJECT, 11L, "acme/platform/api")
        .createdAt(Instant.parse("2024-05-02T12:34:56.789Z"))
        .build();
    // Deliberately not what a JSON encoder would produce byte for byte: the sink must not re-encode.
    String json = "{\"id\":\"" + id + "\",\"event_type\":\"" + eventType + "\",\"details\":{\"custom_message\":\"caf\u00e9 \u2713\"}}";
    return new EncodedEvent(event, json.getBytes(StandardCharsets.UTF_8));
  }
}
