package io.auditstream.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import io.auditstream.api.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON form of an {@link AuditEvent}: the payload that every destination receives, and the form in
 * which a store (a durable outbox, a dead-letter list) or a benchmark keeps an event and rebuilds it.
 *
 * <h2>The payload</h2>
 *
 * <p>One JSON object in UTF-8, without whitespace, holding exactly the fields of the compatibility
 * contract, in this order, each of them always present (an absent value is {@code null}):
 *
 * <pre>{@code
 * {"id":"...","event_type":"user_created","author_id":1,"author_name":"Alice","entity_id":42,
 *  "entity_type":"Group","entity_path":"acme","target_id":null,"target_type":null,
 *  "target_details":null,"ip_address":null,"created_at":"2026-11-25T19:30:00.123Z","details":{}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code id}, {@code event_type}: strings, never null;
 *   <li>{@code author_id}, {@code entity_id}, {@code target_id}: integers or null;
 *   <li>{@code author_name}, {@code entity_path}, {@code target_type}, {@code target_details}, {@code
 *       ip_address}: strings or null;
 *   <li>{@code entity_type}: {@code Group}, {@code Project} or {@code User};
 *   <li>{@code created_at}: ISO-8601 in UTC with exactly three fraction digits and {@code Z};
 *   <li>{@code details}: an object, possibly empty, holding the event's details (and {@code
 *       custom_message} when the event has one).
 * </ul>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Deterministic.</b> {@link #encode} gives the same bytes for the same event, every time and
 *       on every thread: the fields come in the order above, the keys of {@code details} and of every
 *       object inside it are sorted (by {@link String#compareTo}), and numbers are always written the
 *       same way. Events that are {@link AuditEvent#equals equal} therefore encode to equal bytes, and
 *       receivers and tests can compare payloads byte for byte.
 *   <li><b>Round trip.</b> {@link #decode} reads any payload that {@link #encode} wrote, and encoding
 *       the decoded event gives back the very same bytes. The decoded event equals the encoded one in
 *       {@code id}, {@code eventType}, the author, the entity, the target, {@code ipAddress}, {@code
 *       createdAt} and the content of {@code details}; two things JSON cannot carry are described
 *       below (the namespace and the Java types of numbers).
 *   <li><b>Stateless and thread-safe.</b> Both methods may be called from any thread at once; they
 *       never block and keep nothing between calls.
 *   <li><b>Quiet failures.</b> The message of an {@link IllegalArgumentException} that either method
 *       throws names a field and the rule it breaks, never a value, because payloads may hold personal
 *       data.
 * </ul>
 *
 * <h2>What decode derives</h2>
 *
 * <p><b>The namespace.</b> The contract fixes the payload's fields and carries no namespace, so {@link
 * #decode} derives it the way {@link AuditEvent.Builder#build()} does: a {@code Group} event gets {@link
 * io.auditstream.api.Namespace#group} of its {@code entity_path}, a {@code Project} event {@link
 * io.auditstream.api.Namespace#project} of it; a {@code User} event, an event without {@code entity_path}
 * and an event whose path is not a valid namespace path come back without one. An event whose host set
 * its namespace explicitly (a {@code User} event that happened inside a group, or a namespace other than
 * its entity's) therefore comes back with the derived namespace instead. A store that routes decoded
 * events again keeps the namespace beside the payload and restores it:
 * {@code AuditEventJson.decode(json).toBuilder().namespace(namespace).build()}.
 *
 * <p><b>Numbers in {@code details}.</b> JSON keeps a number's value, not its Java type. An integer
 * comes back as an {@link Integer} when it fits, else a {@link Long}, else a {@link BigInteger}. A number
 * with a fraction or an exponent comes back as a {@link Double} when {@link Double#toString} writes that
 * double with the same text, else as a {@link BigDecimal} of that text (so {@code 1.50} stays {@code
 * 1.50}). A {@code Long}, {@code Short} or {@code Byte} detail of small value thus comes back as an
 * {@code Integer}, a {@code BigDecimal} without a fraction (such as {@code 100}) as an integer, and a
 * {@code Float} (or any other {@link Number} type) as the {@code Double} of its {@link
 * Number#doubleValue()}: the same number and the same bytes, but not {@link Object#equals} to the
 * original. Detail values of other types are written as their {@link Object#toString()} and come back
 * as strings; {@link AuditEvent} only holds JSON values, so this does not happen to events it built.
 *
 * <h2>Limits</h2>
 *
 * <p>{@code details} nest at most {@value #MAX_DETAILS_DEPTH} levels ({@code details} itself is the
 * first) and a number in them is at most {@value #MAX_NUMBER_LENGTH} characters long; {@code NaN} and
 * infinities have no JSON form. {@link #encode} refuses an event that breaks a limit, so that it never
 * writes what {@link #decode} could not read.
 */
public final class AuditEventJson {
  /**
   * How deep {@code details} may nest: {@code details} itself is level 1, an object in it level 2.
   * {@link AuditEvent}'s builder refuses deeper details, so a built event always encodes.
   */
  public static final int MAX_DETAILS_DEPTH = AuditEvent.MAX_DETAILS_DEPTH;

  /** The longest text, in characters, of a number in {@code details}; also refused by {@link AuditEvent}'s builder. */
  public static final int MAX_NUMBER_LENGTH = AuditEvent.MAX_DETAILS_NUMBER_LENGTH;

  /** {@code created_at}'s format: ISO-8601 UTC, millisecond precision, {@code Z}. */
  static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  // Explicit constraints, so that a host that changes Jackson's global defaults cannot make decode
  // refuse what encode wrote. Strings and names need no bound: decode's input is already in memory.
  // The nesting bound only has to lie above MAX_DETAILS_DEPTH, which both directions check first.
  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DETAILS_DEPTH + 10)
          .maxNumberLength(MAX_NUMBER_LENGTH)
          .maxStringLength(Integer.MAX_VALUE)
          .maxNameLength(Integer.MAX_VALUE)
          .build())
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DETAILS_DEPTH + 10).build())
      .build();

  private AuditEventJson() {}

  /**
   * The payload of {@code event}: UTF-8 JSON as described above, the same bytes for the same event.
   *
   * @throws NullPointerException when {@code event} is null
   * @throws IllegalArgumentException when the event breaks a limit above (a number in {@code details}
   *     that is not finite or too long, {@code details} nested too deep) or {@code createdAt} lies beyond
   *     the years -999999999 to 999999999; the message names the field and the rule
   */
  public static byte[] encode(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    String createdAt = createdAt(event.createdAt());
    PlainJsonWriter plain = new PlainJsonWriter(768);
    write(plain, event, createdAt);
    return plain.plain() ? plain.toBytes() : withJackson(event, createdAt);
  }

  /** The payload as Jackson writes it: for what {@link PlainJsonWriter} leaves, and to check it. */
  static byte[] withJackson(AuditEvent event, String createdAt) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(JsonOut.of(g), event, createdAt);
    } catch (IOException | UncheckedIOException e) {
      // Writing to a byte array does no I/O, and the limits are checked before Jackson's own; the
      // message stays free of event data in case it does happen.
      throw new IllegalArgumentException("details cannot be written as JSON");
    }
    return out.toByteArray();
  }

  /**
   * Reads a payload back into an event; see the class description for what it derives. Fields other
   * than the payload's are ignored; {@code details} may be absent or {@code null} (read as empty).
   *
   * <p>A payload is read as a stored event ({@link AuditEvent#storedBuilder()}): what an earlier version
   * encoded under its looser rules (an {@code id} or {@code event_type} with other characters, an unpaired
   * surrogate or a number beyond a double's range in {@code details}) comes back as it was, and encodes to
   * the same bytes again, so that a store delivers what it kept as it was accepted.
   *
   * @param json a UTF-8 JSON payload, as {@link #encode} writes it
   * @throws NullPointerException when {@code json} is null
   * @throws IllegalArgumentException when {@code json} is not such a payload: not UTF-8, not well-formed JSON, not
   *     one object, a required field ({@code id}, {@code event_type}, {@code entity_type}, {@code
   *     created_at}) missing, a field of the wrong type or format, a field given twice, or a limit above
   *     broken. The message names the field and the rule, never a value.
   */
  public static AuditEvent decode(byte[] json) {
    Objects.requireNonNull(json, "json");
    return AuditEventJsonReader.read(json);
  }

  /**
   * Reads a payload held as text; the same as {@link #decode(byte[])} on its UTF-8 bytes.
   *
   * @throws NullPointerException when {@code json} is null
   * @throws IllegalArgumentException when {@code json} is not a payload, as {@link #decode(byte[])} says
   */
  public static AuditEvent decode(String json) {
    Objects.requireNonNull(json, "json");
    return AuditEventJsonReader.read(json);
  }

  /** {@code t} as {@link #CREATED_AT} writes it; the years 0 to 9999 without the formatter's cost. */
  static String createdAt(Instant t) {
    long seconds = t.getEpochSecond();
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      try {
        return CREATED_AT.format(t);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("created_at must lie within the years -999999999 to 999999999");
      }
    }
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(c, 0, 4, year);
    digits(c, 5, 2, date.getMonthValue());
    digits(c, 8, 2, date.getDayOfMonth());
    digits(c, 11, 2, secondOfDay / 3600);
    digits(c, 14, 2, secondOfDay / 60 % 60);
    digits(c, 17, 2, secondOfDay % 60);
    digits(c, 20, 3, t.getNano() / 1_000_000);
    return new String(c);
  }

  /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code c[from]}. */
  private static void digits(char[] c, int from, int width, int value) {
    for (int i = from + width - 1; i >= from; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The payload's fields, in the contract's order. */
  private static void write(JsonOut g, AuditEvent event, String createdAt) {
    g.startObject();
    stringField(g, "id", event.id());
    stringField(g, "event_type", event.eventType());
    longField(g, "author_id", event.authorId());
    stringField(g, "author_name", event.authorName());
    longField(g, "entity_id", event.entityId());
    stringField(g, "entity_type", event.entityType() == null ? null : event.entityType().jsonName());
    stringField(g, "entity_path", event.entityPath());
    longField(g, "target_id", event.targetId());
    stringField(g, "target_type", event.targetType());
    stringField(g, "target_details", event.targetDetails());
    stringField(g, "ip_address", event.ipAddress());
    stringField(g, "created_at", createdAt);
    g.name("details");
    writeValue(g, event.details(), 1);
    g.endObject();
  }

  private static void stringField(JsonOut g, String name, String value) {
    g.name(name);
    g.string(value);
  }

  private static void longField(JsonOut g, String name, Long value) {
    g.name(name);
    if (value == null) {
      g.nullValue();
    } else {
      g.number(value);
    }
  }

  /** Writes a details value; map keys sorted so that equal maps give equal bytes. */
  private static void writeValue(JsonOut g, Object value, int depth) {
    if (value == null) {
      g.nullValue();
    } else if (value instanceof String s) {
      g.string(s);
    } else if (value instanceof Boolean bool) {
      g.bool(bool);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      g.number(((Number) value).longValue());
    } else if (value instanceof BigInteger bi) {
      g.numberText(checkedLength(bi.toString()));
    } else if (value instanceof BigDecimal bd) {
      g.numberText(checkedLength(bd.toString()));
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("details must hold finite numbers only (JSON has no NaN or infinity)");
      }
      // Double.toString, written as is: decode relies on this exact text to give back a Double.
      g.numberText(Double.toString(d));
    } else if (value instanceof Map<?, ?> map) {
      checkDepth(depth);
      // Keys sorted as the strings they are written as, which is also how decode gives them back.
      g.startObject();
      for (Map.Entry<String, Object> e : sortedEntries(map)) {
        g.name(e.getKey());
        writeValue(g, e.getValue(), depth + 1);
      }
      g.endObject();
    } else if (value instanceof List<?> list) {
      checkDepth(depth);
      g.startArray();
      for (Object item : list) {
        writeValue(g, item, depth + 1);
      }
      g.endArray();
    } else {
      // AuditEvent only admits JSON values; anything else is written as its text.
      g.string(value.toString());
    }
  }

  /** The entries of {@code map} keyed by their keys' text, sorted by it; refuses two keys of the same text. */
  private static List<Map.Entry<String, Object>> sortedEntries(Map<?, ?> map) {
    // A list sorted once rather than a TreeMap: every event's details pass here.
    List<Map.Entry<String, Object>> entries = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(String.valueOf(e.getKey()), e.getValue()));
    }
    entries.sort(Map.Entry.comparingByKey());
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).getKey().equals(entries.get(i - 1).getKey())) {
        throw new IllegalArgumentException("details must not hold two keys with the same text");
      }
    }
    return entries;
  }

  private static String checkedLength(String number) {
    if (number.length() > MAX_NUMBER_LENGTH) {
      throw new IllegalArgumentException(
          "details must hold numbers of at most " + MAX_NUMBER_LENGTH + " characters");
    }
    return number;
  }

  private static void checkDepth(int depth) {
    if (depth > MAX_DETAILS_DEPTH) {
      throw new IllegalArgumentException("details must nest at most " + MAX_DETAILS_DEPTH + " levels deep");
    }
  }
}
