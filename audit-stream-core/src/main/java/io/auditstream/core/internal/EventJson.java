package io.auditstream.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON payload of an audit event, as every destination receives it:
 *
 * <pre>{@code
 * {"id":"...","event_type":"user_created","author_id":1,"author_name":"Alice","entity_id":42,
 *  "entity_type":"Group","entity_path":"acme","target_id":null,"target_type":null,
 *  "target_details":null,"ip_address":null,"created_at":"2026-11-25T19:30:00.123Z","details":{}}
 * }</pre>
 *
 * <p>The keys come in that order, every key is present (absent values are {@code null}), {@code
 * created_at} is UTC with exactly three fraction digits, and the keys of {@code details} (and of the
 * objects inside it) are sorted. Equal events therefore always encode to the same bytes, which lets
 * receivers and tests compare payloads byte for byte.
 *
 * <p>{@link #decode} reads a payload back (for queues that keep deliveries outside the heap). The
 * payload does not carry the event's namespace: a decoded {@code Group} or {@code Project} event gets
 * it back from its entity path, any other event comes back without one. Numbers inside {@code
 * details} come back as {@code Integer}, {@code Long}, {@code BigInteger} or {@code Double}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventJson {
  /** {@code created_at}'s format: ISO-8601 UTC, millisecond precision, {@code Z}. */
  static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private EventJson() {}

  /**
   * The payload of {@code event} as UTF-8 JSON.
   *
   * @throws IllegalArgumentException when a detail value cannot be written as JSON
   */
  public static byte[] encode(AuditEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", event.id());
      g.writeStringField("event_type", event.eventType());
      writeLongField(g, "author_id", event.authorId());
      g.writeStringField("author_name", event.authorName());
      writeLongField(g, "entity_id", event.entityId());
      g.writeStringField("entity_type", event.entityType() == null ? null : event.entityType().jsonName());
      g.writeStringField("entity_path", event.entityPath());
      writeLongField(g, "target_id", event.targetId());
      g.writeStringField("target_type", event.targetType());
      g.writeStringField("target_details", event.targetDetails());
      g.writeStringField("ip_address", event.ipAddress());
      g.writeStringField("created_at", CREATED_AT.format(event.createdAt()));
      g.writeFieldName("details");
      writeValue(g, event.details());
      g.writeEndObject();
    } catch (IOException e) {
      // Writing to a byte array does no I/O; this is a value Jackson refused.
      throw new IllegalArgumentException("event " + event.id() + " cannot be encoded as JSON: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Reads a payload that {@link #encode} wrote.
   *
   * @throws IllegalArgumentException when {@code json} is not such a payload
   * @throws io.auditstream.api.ValidationException when a required field is missing or malformed
   */
  public static AuditEvent decode(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON audit event payload: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("an audit event payload must be a JSON object");
    }
    String entityType = text(root, "entity_type");
    String createdAt = text(root, "created_at");
    AuditEvent.Builder b = AuditEvent.builder()
        .id(text(root, "id"))
        .eventType(text(root, "event_type"))
        .authorId(number(root, "author_id"))
        .authorName(text(root, "author_name"))
        .entityId(number(root, "entity_id"))
        .entityType(entityType == null ? null : EntityType.fromJsonName(entityType))
        .entityPath(text(root, "entity_path"))
        .targetId(number(root, "target_id"))
        .targetType(text(root, "target_type"))
        .targetDetails(text(root, "target_details"))
        .ipAddress(text(root, "ip_address"))
        .createdAt(createdAt == null ? null : Instant.parse(createdAt));
    JsonNode details = root.get("details");
    if (details != null && details.isObject()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) toJava(details);
      b.details(map);
    }
    return b.build();
  }

  private static void writeLongField(JsonGenerator g, String name, Long value) throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeNumber(value);
    }
  }

  /** Writes a details value; map keys sorted so that equal maps give equal bytes. */
  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean bool) {
      g.writeBoolean(bool);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger bi) {
      g.writeNumber(bi);
    } else if (value instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IOException("details hold a number JSON cannot represent (" + d + ")");
      }
      g.writeNumber(d);
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        writeValue(g, item);
      }
      g.writeEndArray();
    } else {
      // AuditEvent only admits JSON values; anything else is written as its text.
      g.writeString(value.toString());
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Long number(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer (was " + n + ")");
    }
    return n.asLong();
  }

  private static Object toJava(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), toJava(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      n.forEach(item -> l.add(toJava(item)));
      return l;
    }
    if (n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      return n.numberValue();
    }
    return n.asText();
  }
}
