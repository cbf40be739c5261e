package io.auditstream.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The free-form {@code details} of an {@link AuditEvent}: deep copies into unmodifiable maps and
 * lists, and the rule that every value is a JSON value that the event's JSON form can carry and every
 * receiver reads as it was meant. Stateless and thread-safe. Internal; may change without notice.
 *
 * <ul>
 *   <li>Keys are non-null {@link String}s. A map with other keys is refused rather than converted: two
 *       keys such as {@code 1} and {@code "1"} would otherwise meet as one JSON name.
 *   <li>Strings, keys included, are valid Unicode (no unpaired surrogate).
 *   <li>Numbers are copied into a type that cannot change or write itself in another way later: {@link
 *       Integer}, {@link Long}, {@link Short}, {@link Byte}, {@link Double} and {@link Float} are kept
 *       (final and immutable); a subclass of {@link BigInteger} or {@link BigDecimal} becomes that exact
 *       class of the same value; an atomic or adder counter becomes the {@link Long} of its value now;
 *       any other {@link Number} the {@link Double} of its {@link Number#doubleValue()}. Every number is
 *       finite and within a double's range (about ±1.8E308, so receivers that read numbers as doubles,
 *       Cloud Logging among them, can), and at most {@value AuditEvent#MAX_DETAILS_NUMBER_LENGTH}
 *       characters long.
 *   <li>Nesting is at most {@value AuditEvent#MAX_DETAILS_DEPTH} levels ({@code details} itself is the
 *       first), which also refuses a map or list that contains itself.
 *   <li>Enums, instants and UUIDs are taken as their text.
 * </ul>
 */
final class EventDetails {
  private EventDetails() {}

  /**
   * Details checked and copied, with the most bytes they take in the event's JSON form.
   *
   * @param map the unmodifiable deep copy
   * @param jsonBytes an upper bound of the bytes of {@code map} as a JSON object
   */
  record Copy(Map<String, Object> map, long jsonBytes) {
    static final Copy EMPTY = new Copy(Map.of(), 2);
  }

  /**
   * An unmodifiable deep copy of {@code details}, empty for null.
   *
   * @throws ValidationException naming the path of a value or key that breaks a rule above
   */
  static Copy copy(Map<?, ?> details) {
    return copy(details, false);
  }

  /**
   * {@link #copy(Map)}, or for {@code stored} details (read back from what an earlier version stored)
   * without the rules this version added for new input: unpaired surrogates and numbers beyond a
   * double's range are kept as they were. Every other rule stays, so the details can still be written
   * as the same JSON.
   */
  static Copy copy(Map<?, ?> details, boolean stored) {
    if (details == null) {
      return Copy.EMPTY;
    }
    long[] bytes = {0};
    Map<String, Object> map = copyObject("details", details, 1, bytes, stored);
    return new Copy(map, bytes[0]);
  }

  /**
   * {@code details} (already a copy) with {@code key} set to a deep copy of {@code value}, keeping
   * the order of the other keys.
   *
   * @throws ValidationException naming the path of a value or key that breaks a rule above
   */
  static Copy with(Copy details, String key, Object value) {
    long[] bytes = {0};
    checkKey("details", key, bytes, false);
    Object copied = copyValue("details." + key, value, 2, bytes, false);
    Map<String, Object> m = new LinkedHashMap<>(details.map());
    m.put(key, copied);
    // A replaced value keeps counting: the bound stays an upper bound, and is one addition.
    return new Copy(Collections.unmodifiableMap(m), details.jsonBytes() + bytes[0] + 2);
  }

  /** {@code in} at nesting level {@code depth} (details itself is level 1); adds its JSON bytes to {@code bytes[0]}. */
  private static Map<String, Object> copyObject(String field, Map<?, ?> in, int depth, long[] bytes,
      boolean stored) {
    checkDepth(field, depth);
    Map<String, Object> out = new LinkedHashMap<>();
    bytes[0] += 2;
    for (Map.Entry<?, ?> e : in.entrySet()) {
      String key = checkKey(field, e.getKey(), bytes, stored);
      out.put(key, copyValue(field + "." + key, e.getValue(), depth + 1, bytes, stored));
      bytes[0] += 2; // the colon and a comma
    }
    return Collections.unmodifiableMap(out);
  }

  private static String checkKey(String field, Object key, long[] bytes, boolean stored) {
    if (!(key instanceof String s)) {
      throw new ValidationException(field, "details keys must be strings (was "
          + (key == null ? "null" : key.getClass().getName()) + ")");
    }
    bytes[0] += EventText.jsonBytes(field + "." + s, "details", s, stored);
    return s;
  }

  private static Object copyValue(String field, Object value, int depth, long[] bytes, boolean stored) {
    if (value == null) {
      bytes[0] += 4;
      return null;
    }
    if (value instanceof String s) {
      bytes[0] += EventText.jsonBytes(field, "details", s, stored);
      return s;
    }
    if (value instanceof Boolean) {
      bytes[0] += 5;
      return value;
    }
    if (value instanceof Number n) {
      Number copy = checkNumber(field, n, stored);
      bytes[0] += numberText(copy).length();
      return copy;
    }
    if (value instanceof Map<?, ?> map) {
      return copyObject(field, map, depth, bytes, stored);
    }
    if (value instanceof List<?> list) {
      checkDepth(field, depth);
      List<Object> out = new ArrayList<>(list.size());
      bytes[0] += 2;
      for (int i = 0; i < list.size(); i++) {
        out.add(copyValue(field + "[" + i + "]", list.get(i), depth + 1, bytes, stored));
        bytes[0] += 1;
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Enum<?> || value instanceof Instant || value instanceof UUID) {
      String text = value.toString();
      bytes[0] += EventText.jsonBytes(field, "details", text);
      return text;
    }
    throw new ValidationException(
        field, "details must hold JSON values (string, number, boolean, null, list or map), was "
            + value.getClass().getName());
  }

  /** The number's text as the event's JSON form writes it, at most as long. */
  private static String numberText(Number n) {
    return n instanceof Float || n instanceof Double ? Double.toString(n.doubleValue()) : n.toString();
  }

  /** {@code n} as a number of a type that cannot change later, checked. */
  private static Number checkNumber(String field, Number n, boolean stored) {
    Number copy = immutable(n);
    // The messages name the rule, not the field: a key of details may itself be personal data.
    // Stored details keep a big number beyond a double's range: earlier versions accepted it, and
    // JSON can write it (only NaN and infinities, which no stored JSON holds, cannot be written).
    boolean big = copy instanceof BigInteger || copy instanceof BigDecimal;
    if (!(stored && big) && !Double.isFinite(copy.doubleValue())) {
      throw new ValidationException(field, copy instanceof BigInteger || copy instanceof BigDecimal
          ? "details must hold numbers within the range of a double (about \u00b11.8E308): receivers that"
              + " read numbers as doubles could not"
          : "details must hold finite numbers only (JSON has no NaN or infinity)");
    }
    if ((copy instanceof BigInteger || copy instanceof BigDecimal)
        && copy.toString().length() > AuditEvent.MAX_DETAILS_NUMBER_LENGTH) {
      throw new ValidationException(field, "details must hold numbers of at most "
          + AuditEvent.MAX_DETAILS_NUMBER_LENGTH + " characters");
    }
    return copy;
  }

  private static Number immutable(Number n) {
    Class<?> type = n.getClass();
    if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == Double.class || type == Float.class || type == BigInteger.class || type == BigDecimal.class) {
      return n;
    }
    // A subclass could write other text than its value, or change after the check: copy its value.
    if (n instanceof BigInteger bi) {
      return new BigInteger(bi.toByteArray());
    }
    if (n instanceof BigDecimal bd) {
      return new BigDecimal(new BigInteger(bd.unscaledValue().toByteArray()), bd.scale());
    }
    if (n instanceof AtomicInteger || n instanceof AtomicLong || n instanceof LongAdder
        || n instanceof LongAccumulator) {
      return n.longValue();
    }
    return n.doubleValue();
  }

  private static void checkDepth(String field, int depth) {
    if (depth > AuditEvent.MAX_DETAILS_DEPTH) {
      throw new ValidationException(field, "details must nest at most " + AuditEvent.MAX_DETAILS_DEPTH
          + " levels deep");
    }
  }
}
