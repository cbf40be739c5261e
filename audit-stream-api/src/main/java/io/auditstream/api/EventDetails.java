package io.auditstream.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The free-form {@code details} of an {@link AuditEvent}: deep copies into unmodifiable maps and
 * lists, and the rule that every value is a JSON value that the event's JSON form can carry: finite
 * numbers of at most {@value AuditEvent#MAX_DETAILS_NUMBER_LENGTH} characters, nesting at most
 * {@value AuditEvent#MAX_DETAILS_DEPTH} levels ({@code details} itself is the first). Enums, instants
 * and UUIDs are taken as their text. Stateless and thread-safe. Internal; may change without notice.
 */
final class EventDetails {
  private EventDetails() {}

  /**
   * An unmodifiable deep copy of {@code details}, empty for null.
   *
   * @throws ValidationException naming the path of a value that is not a JSON value
   * @throws NullPointerException when a key is null
   */
  static Map<String, Object> copy(Map<String, ?> details) {
    return copyObject("details", details, 1);
  }

  /**
   * {@code details} (already a copy) with {@code key} set to a deep copy of {@code value}, keeping
   * the order of the other keys.
   *
   * @throws ValidationException naming the path of a value that is not a JSON value
   * @throws NullPointerException when {@code key} is null
   */
  static Map<String, Object> with(Map<String, Object> details, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(details);
    m.put(Objects.requireNonNull(key, "key"), copyValue("details." + key, value, 2));
    return Collections.unmodifiableMap(m);
  }

  /** {@code in} at nesting level {@code depth} (details itself is level 1). */
  private static Map<String, Object> copyObject(String field, Map<String, ?> in, int depth) {
    if (in == null) {
      return Map.of();
    }
    checkDepth(field, depth);
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : in.entrySet()) {
      out.put(Objects.requireNonNull(e.getKey(), field + " keys"),
          copyValue(field + "." + e.getKey(), e.getValue(), depth + 1));
    }
    return Collections.unmodifiableMap(out);
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(String field, Object value, int depth) {
    if (value instanceof Number n) {
      return checkNumber(field, n);
    }
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return copyObject(field, (Map<String, ?>) map, depth);
    }
    if (value instanceof List<?> list) {
      checkDepth(field, depth);
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(copyValue(field + "[" + i + "]", list.get(i), depth + 1));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Enum<?> || value instanceof Instant || value instanceof UUID) {
      return value.toString();
    }
    throw new ValidationException(
        field, field + " must be a JSON value (string, number, boolean, null, list or map), was "
            + value.getClass().getName());
  }

  private static Number checkNumber(String field, Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n;
    }
    if (n instanceof BigInteger || n instanceof BigDecimal) {
      // The messages name the rule, not the field: a key of details may itself be personal data.
      if (n.toString().length() > AuditEvent.MAX_DETAILS_NUMBER_LENGTH) {
        throw new ValidationException(field, "details must hold numbers of at most "
            + AuditEvent.MAX_DETAILS_NUMBER_LENGTH + " characters");
      }
      return n;
    }
    if (!Double.isFinite(n.doubleValue())) {
      throw new ValidationException(field, "details must hold finite numbers only (JSON has no NaN or infinity)");
    }
    return n;
  }

  private static void checkDepth(String field, int depth) {
    if (depth > AuditEvent.MAX_DETAILS_DEPTH) {
      throw new ValidationException(field, "details must nest at most " + AuditEvent.MAX_DETAILS_DEPTH
          + " levels deep");
    }
  }
}
