package io.auditstream.sink.s3;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.EncodedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Configs and events shared by the tests of this module. */
final class TestEvents {
  private TestEvents() {}

  /** A config for {@code server}'s {@code bucket}, with the server's keys. */
  static S3DestinationConfig.Builder config(LocalS3Server server, String bucket) {
    return S3DestinationConfig.builder()
        .accessKeyXid(LocalS3Server.ACCESS_KEY_ID)
        .secretAccessKey(LocalS3Server.SECRET_ACCESS_KEY)
        .bucketName(bucket)
        .awsRegion("us-east-1")
        .endpoint(server.endpoint())
        .pathStyleAccess(true);
  }



  static AuditEvent event(String type, EntityType entityType, String path, Instant createdAt) {
    return AuditEvent.builder().eventType(type).author(1L, "Alice").entity(entityType, 7L, path)
        .createdAt(createdAt).build();
  }

  /** The event with a small JSON body of its own (the engine encodes real ones). */
  static EncodedEvent encoded(AuditEvent event) {
    String json = "{\"id\":\"" + event.id() + "\",\"event_type\":\"" + event.eventType() + "\"}";
    return new EncodedEvent(event, json.getBytes(StandardCharsets.UTF_8));
  }
}
