package io.auditstream.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events for the outbox's tests, and the JSON they are stored as: a small stand-in for the core's
 * {@code AuditEventJson}, which this module does not depend on. {@link #decode} reads back every
 * field {@link #encode} writes, so a decoded event equals the original.
 */
final class TestEvents {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private TestEvents() {}

  static AuditEvent event(String id) {
    return AuditEvent.builder().id(id).eventType("project_created").author(7L, "Alice")
        .entity(EntityType.PROJECT, 42L, "acme/platform/api").target(42L, "Project", "acme/platform/api")
        .ipAddress("203.0.113.7").createdAt(T0).customMessage("Created project " + id).build();
  }

  static EncodedEvent encoded(String id) {
    AuditEvent e = event(id);
    return new EncodedEvent(e, encode(e));
  }

  /** A new delivery of event {@code id} to {@code destination}, enqueued and due at {@code at}. */
  static QueuedDelivery delivery(DestinationId destination, String id, Instant at) {
    return new QueuedDelivery(destination, encoded(id), at);
  }

  static byte[] encode(AuditEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("event_type", e.eventType());
    m.put("author_id", e.authorId());
    m.put("author_name", e.authorName());
    m.put("entity_id", e.entityId());
    m.put("entity_type", e.entityType().jsonName());
    m.put("entity_path", e.entityPath());
    m.put("target_id", e.targetId());
    m.put("target_type", e.targetType());
    m.put("target_details", e.targetDetails());
    m.put("ip_address", e.ipAddress());
    m.put("created_at", e.createdAt().toString());
    m.put("details", e.details());
    try {
      return MAPPER.writeValueAsBytes(m);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static AuditEvent decode(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return AuditEvent.builder()
        .id(n.get("id").asText())
        .eventType(n.get("event_type").asText())
        .author(longOrNull(n, "author_id"), textOrNull(n, "author_name"))
        .entity(EntityType.fromJsonName(n.get("entity_type").asText()), longOrNull(n, "entity_id"),
            textOrNull(n, "entity_path"))
        .target(longOrNull(n, "target_id"), textOrNull(n, "target_type"), textOrNull(n, "target_details"))
        .ipAddress(textOrNull(n, "ip_address"))
        .createdAt(Instant.parse(n.get("created_at").asText()))
        .details(MAPPER.convertValue(n.get("details"), OBJECT))
        .build();
  }

  private static Long longOrNull(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asLong() : null;
  }

  private static String textOrNull(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }
}
