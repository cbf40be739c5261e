package io.auditstream.api;

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
 * lists, and the rule that every value is a JSON value. Enums, instants and UUIDs are taken as their
 * text. Stateless and thread-safe. Internal; may change without notice.
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
    return copyObject("details", details);
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
    m.put(Objects.requireNonNull(key, "key"), copyValue("details." + key, value));
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, Object> copyObject(String field, Map<String, ?> in) {
    if (in == null) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : in.entrySet()) {
      out.put(Objects.requireNonNull(e.getKey(), field + " keys"), copyValue(field + "." + e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(String field, Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return copyObject(field, (Map<String, ?>) map);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(copyValue(field + "[" + i + "]", list.get(i)));
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
}
