package io.auditstream.sink.http;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.SinkContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Destinations, events and contexts shared by the tests of this module. */
final class TestDestinations {
  static final String TOKEN = "tok-3f9a7c1e5b2d8f40";
  static final Instant CREATED = Instant.parse("2024-05-01T10:00:00Z");

  private TestDestinations() {}

  static Destination destination(HttpDestinationConfig config) {
    return Destination.builder()
        .id(DestinationId.of("dest-1"))
        .groupPath("acme")
        .name("siem")
        .verificationToken(Secret.of(TOKEN))
        .config(config)
        .createdAt(CREATED)
        .build();
  }

  /** Local network allowed, since the test server runs on loopback; short timeouts. */
  static SinkContext loopbackContext() {
    return SinkContext.builder()
        .allowLocalNetwork(true)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .userAgent("audit-stream-test/1.0")
        .build();
  }

  static EncodedEvent event(String eventType) {
    AuditEvent event = AuditEvent.builder()
        .id("evt-42")
        .eventType(eventType)
        .author(7L, "Jane Doe")
        .entity(EntityType.PROJECT, 11L, "acme/platform/api")
        .createdAt(Instant.parse("2024-05-02T12:34:56.789Z"))
        .build();
    // Deliberately not what a JSON encoder would produce byte for byte: the sink must not re-encode.
    String json = "{\"id\":\"evt-42\",\"event_type\":\"" + eventType + "\",\"details\":{\"custom_message\":\"caf\u00e9 \u2713\"}}";
    return new EncodedEvent(event, json.getBytes(StandardCharsets.UTF_8));
  }
}
