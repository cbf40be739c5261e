package io.auditstream.sink.gcp;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.AuditEventJson;
import java.time.Instant;

/** Shared values and helpers of this module's tests. */
final class GcpTestSupport {
  static final String PROJECT = "acme-audit-prod";
  static final String CLIENT_EMAIL = "audit-writer@acme-audit-prod.iam.gserviceaccount.com";

  private GcpTestSupport() {}

  static GcpLoggingDestinationConfig.Builder plaintextConfig(FakeCloudLogging server) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(PROJECT)
        .clientEmail(CLIENT_EMAIL)
        .endpoint(server.endpoint())
        .plaintext(true);
  }


  /** An event with every field set, encoded as the engine encodes it. */
  static EncodedEvent event(String id, String type, EntityType entityType, String path) {
    AuditEvent event = AuditEvent.builder()
        .id(id)
        .eventType(type)
        .author(7L, "Jane Doe")
        .entity(entityType, 11L, path)
        .target(12L, "Project", "acme/platform/api")
        .ipAddress("203.0.113.7")
        .createdAt(Instant.parse("2024-05-02T12:34:56.789Z"))
        .customMessage("caf\u00e9 \u2713")
        .detail("count", 3)
        .build();
    return new EncodedEvent(event, AuditEventJson.encode(event));
  }
}
