package io.auditstream.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.ValidationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one payload for {@link AuditEventJson#decode}; one instance per payload, not thread-safe.
 * Internal to the codec.
 *
 * <p>Reads token by token rather than through a tree, to keep each number's text (a tree normalises
 * {@code 1.50} to {@code 1.5}), to see duplicate keys (a tree keeps the last silently), and to know
 * which field it was in when the input turns out to be malformed.
 */
final class AuditEventJsonReader {
  private static final Set<String> STRING_FIELDS =
      Set.of("id", "event_type", "author_name", "entity_type", "entity_path", "target_type", "target_details",
          "ip_address", "created_at");
  private static final Set<String> INTEGER_FIELDS = Set.of("author_id", "entity_id", "target_id");
  private static final String DETAILS = "details";

  private final JsonParser p;
  private final Map<String, String> strings = new LinkedHashMap<>();
  private final Map<String, Long> integers = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();
  private Map<String, Object> details = Map.of();
  /** The payload field being read, to name it when the input breaks off; null outside any. */
  private String field;

  private AuditEventJsonReader(JsonParser p) {
    this.p = p;
  }

  /** Reads UTF-8 bytes, refusing malformed UTF-8 rather than replacing it. */
  static AuditEvent read(byte[] json) {
    CharBuffer text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json));
    } catch (CharacterCodingException e) {
      throw invalid("payload must be UTF-8 text");
    }
    // Parsed as characters: Jackson's byte parser refuses an escaped unpaired surrogate in a key,
    // which encode writes for such a key in details, while its character parser gives it back.
    return read(text.array(), text.arrayOffset() + text.position(), text.remaining());
  }

  static AuditEvent read(String json) {
    return read(json.toCharArray(), 0, json.length());
  }

  private static AuditEvent read(char[] json, int offset, int length) {
    if (length > 0 && json[offset] == '\ufeff') {
      // A byte order mark is no part of the payload.
      offset++;
      length--;
    }
    AuditEventJsonReader reader = null;
    try (JsonParser p = AuditEventJson.FACTORY.createParser(json, offset, length)) {
      reader = new AuditEventJsonReader(p);
      reader.readPayload();
    } catch (StreamConstraintsException e) {
      // Nesting is checked before the parser's own bound, so the only constraint left is a number's length.
      throw invalid(fieldOf(reader) + " must hold numbers of at most " + AuditEventJson.MAX_NUMBER_LENGTH
          + " characters");
    } catch (IOException e) {
      // Not chained: Jackson's message quotes the offending input, which may be personal data.
      String where = reader == null || reader.field == null ? "" : " (in or after field " + reader.field + ")";
      throw invalid("payload must be well-formed JSON" + where);
    }
    return reader.toEvent();
  }

  private static String fieldOf(AuditEventJsonReader reader) {
    return reader == null || reader.field == null ? "payload" : reader.field;
  }

  private void readPayload() throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw invalid("payload must be one JSON object");
    }
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      boolean known = STRING_FIELDS.contains(name) || INTEGER_FIELDS.contains(name) || DETAILS.equals(name);
      JsonToken value = p.nextToken();
      if (!known) {
        // Fields the payload does not define are skipped unread (and unnamed in any message).
        field = null;
        p.skipChildren();
        continue;
      }
      field = name;
      if (!seen.add(name)) {
        throw invalid(name + " must appear once in the payload");
      }
      if (STRING_FIELDS.contains(name)) {
        strings.put(name, readString(name, value));
      } else if (INTEGER_FIELDS.contains(name)) {
        integers.put(name, readInteger(name, value));
      } else {
        details = readDetails(value);
      }
    }
    field = null;
    if (p.nextToken() != null) {
      throw invalid("payload must be one JSON object with nothing after it");
    }
  }

  private String readString(String name, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw invalid(name + " must be a string or null");
    }
    return p.getText();
  }

  private Long readInteger(String name, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw invalid(name + " must be an integer from -2^63 to 2^63-1, or null");
    }
    return p.getLongValue();
  }

  private Map<String, Object> readDetails(JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (value != JsonToken.START_OBJECT) {
      throw invalid("details must be a JSON object or null");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) readValue(value, 1);
    return map;
  }

  private Object readValue(JsonToken t, int depth) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        checkDepth(depth);
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken next = p.nextToken(); next != JsonToken.END_OBJECT; next = p.nextToken()) {
          String key = p.currentName();
          if (map.containsKey(key)) {
            throw invalid("details must not hold a key twice in one object");
          }
          map.put(key, readValue(p.nextToken(), depth + 1));
        }
        return map;
      }
      case START_ARRAY -> {
        checkDepth(depth);
        List<Object> list = new ArrayList<>();
        for (JsonToken next = p.nextToken(); next != JsonToken.END_ARRAY; next = p.nextToken()) {
          list.add(readValue(next, depth + 1));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        // Integer, Long or BigInteger: the smallest that holds the value.
        return p.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return floatingNumber(p.getText());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw invalid("details must hold JSON values only");
    }
  }

  /** A Double when encode writes that double as {@code text}, else the exact BigDecimal of the text. */
  private static Object floatingNumber(String text) {
    double d = Double.parseDouble(text);
    if (Double.isFinite(d) && Double.toString(d).equals(text)) {
      return d;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException | ArithmeticException e) {
      throw invalid("details must hold numbers whose exponent fits in 32 bits");
    }
  }

  private static void checkDepth(int depth) {
    if (depth > AuditEventJson.MAX_DETAILS_DEPTH) {
      throw invalid("details must nest at most " + AuditEventJson.MAX_DETAILS_DEPTH + " levels deep");
    }
  }

  private AuditEvent toEvent() {
    String id = strings.get("id");
    if (id == null || id.isBlank()) {
      throw invalid("id is required and must be a non-blank string");
    }
    String eventType = strings.get("event_type");
    if (eventType == null || eventType.isBlank()) {
      throw invalid("event_type is required and must be a non-blank string");
    }
    EntityType entityType = entityType(strings.get("entity_type"));
    Instant createdAt = createdAt(strings.get("created_at"));
    String entityPath = strings.get("entity_path");
    // A stored event's rules: what an earlier version accepted and stored must come back, to be
    // delivered as that version would have delivered it (see AuditEvent.storedBuilder()).
    AuditEvent.Builder b = AuditEvent.storedBuilder()
        .id(id)
        .eventType(eventType)
        .authorId(integers.get("author_id"))
        .authorName(strings.get("author_name"))
        .entity(entityType, integers.get("entity_id"), entityPath)
        .targetId(integers.get("target_id"))
        .targetType(strings.get("target_type"))
        .targetDetails(strings.get("target_details"))
        .ipAddress(strings.get("ip_address"))
        .createdAt(createdAt);
    if (!derivesNamespace(entityType, entityPath)) {
      // The builder would refuse the path; the event comes back without a namespace instead.
      b.namespace(null);
    }
    try {
      return b.details(details).build();
    } catch (ValidationException e) {
      // Its message may quote a value, so only the field is named.
      throw invalid(e.field() + " breaks a rule of audit events");
    }
  }

  /** Whether the builder can derive a namespace from these, or has none to derive. */
  private static boolean derivesNamespace(EntityType type, String path) {
    if (path == null || (type != EntityType.GROUP && type != EntityType.PROJECT)) {
      return true;
    }
    try {
      new Namespace(path, type == EntityType.GROUP ? Namespace.Kind.GROUP : Namespace.Kind.PROJECT);
      return true;
    } catch (ValidationException e) {
      return false;
    }
  }

  private static EntityType entityType(String name) {
    if (name != null) {
      for (EntityType t : EntityType.values()) {
        if (t.jsonName().equalsIgnoreCase(name)) {
          return t;
        }
      }
    }
    throw invalid("entity_type is required and must be Group, Project or User");
  }

  /**
   * {@code created_at}, as {@link Instant#parse} reads it; the form {@link AuditEventJson#encode} writes is
   * read without it.
   */
  static Instant createdAt(String text) {
    if (text != null) {
      Instant written = asWritten(text);
      if (written != null) {
        return written;
      }
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        // Falls through to the message below, which does not quote the text.
      }
    }
    throw invalid("created_at is required and must be an ISO-8601 UTC timestamp such as 2026-11-25T19:30:00.123Z");
  }

  /**
   * {@code text} read without a formatter when it is exactly as encode writes it for the years 0 to 9999
   * ({@code uuuu-MM-ddTHH:mm:ss.SSSZ}, a real date, seconds below 60); null for anything else, which
   * {@link Instant#parse} then reads (or refuses), so the answer never depends on which path read it.
   */
  private static Instant asWritten(String text) {
    if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int millis = digits(text, 20, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
      return null;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, millis * 1_000_000L);
  }

  /** The decimal number of {@code width} digits at {@code from}; -1 when one of them is not a digit. */
  private static int digits(String text, int from, int width) {
    int value = 0;
    for (int i = from; i < from + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(message);
  }
}
