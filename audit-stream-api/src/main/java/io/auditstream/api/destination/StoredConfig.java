package io.auditstream.api.destination;

import io.auditstream.api.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a store keeps a destination's config: its plain settings as a JSON-shaped tree, and its
 * secrets apart, by name, so that a store can encrypt them. Written by {@link
 * DestinationKind#encode} and read back by {@link DestinationKind#decode}.
 *
 * <p>{@code settings} holds only what JSON can: {@code String}, {@code Boolean}, {@code Long},
 * {@code Integer}, {@code Double}, {@code null}, {@code List} and {@code Map<String, ?>} of those.
 * {@code secrets} holds the write-only secrets that are present and the Owner-readable ones (a
 * header value, say); a secret left out is absent.
 *
 * <p>Immutable and thread-safe: both maps are deep, unmodifiable copies. {@link #toString()} names
 * the secrets, never their values.
 *
 * @param settings the plain settings, shown to Owners
 * @param secrets the secrets by name
 */
public record StoredConfig(Map<String, Object> settings, Map<String, Secret> secrets) {
  /**
   * Copies both maps after checking that {@code settings} holds JSON values only.
   *
   * @throws IllegalArgumentException naming the setting that holds something else
   * @throws NullPointerException when a map is null or holds a null key or secret
   */
  public StoredConfig {
    settings = copyObject(Objects.requireNonNull(settings, "settings"), "settings");
    Map<String, Secret> s = new TreeMap<>();
    Objects.requireNonNull(secrets, "secrets").forEach((k, v) -> s.put(Objects.requireNonNull(k, "secret name"),
        Objects.requireNonNull(v, "secret " + k)));
    secrets = Collections.unmodifiableMap(s);
  }

  /** A builder of settings and secrets, in the order they are put. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The required text setting {@code field}.
   *
   * @throws IllegalArgumentException when it is missing or not a string
   */
  public String text(String field) {
    return text(settings, field, "");
  }

  /**
   * The text setting {@code field}, or empty when it is missing or null.
   *
   * @throws IllegalArgumentException when it is present but not a string
   */
  public Optional<String> optionalText(String field) {
    return settings.get(field) == null ? Optional.empty() : Optional.of(text(field));
  }

  /**
   * The boolean setting {@code field}, {@code otherwise} when it is missing or null.
   *
   * @throws IllegalArgumentException when it is present but not a boolean
   */
  public boolean bool(String field, boolean otherwise) {
    return bool(settings, field, "", otherwise);
  }

  /**
   * The list of objects under {@code field}; empty when it is missing or null.
   *
   * @throws IllegalArgumentException when it is not a list of objects
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> objects(String field) {
    Object v = settings.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list) || list.stream().anyMatch(e -> !(e instanceof Map))) {
      throw new IllegalArgumentException("setting '" + field + "' is not a list of objects");
    }
    return (List<Map<String, Object>>) v;
  }

  /** The secret {@code name}, or empty when it is absent. */
  public Optional<Secret> secret(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  /**
   * The required text {@code field} of a nested object {@code in}, read from {@link #objects};
   * {@code path} (for example {@code headers[2].}) prefixes the field in the message.
   *
   * @throws IllegalArgumentException when it is missing or not a string
   */
  public static String text(Map<String, Object> in, String field, String path) {
    if (!(in.get(field) instanceof String s)) {
      throw new IllegalArgumentException("setting '" + path + field + "' is missing or not a string");
    }
    return s;
  }

  /**
   * The boolean {@code field} of a nested object {@code in}, {@code otherwise} when missing.
   *
   * @throws IllegalArgumentException when it is present but not a boolean
   */
  public static boolean bool(Map<String, Object> in, String field, String path, boolean otherwise) {
    Object v = in.get(field);
    if (v == null) {
      return otherwise;
    }
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("setting '" + path + field + "' is not a boolean");
    }
    return b;
  }

  @Override
  public String toString() {
    return "StoredConfig{settings=" + settings + ", secrets=" + secrets.keySet() + "}";
  }

  private static Map<String, Object> copyObject(Map<?, ?> in, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    in.forEach((k, v) -> {
      if (!(k instanceof String key)) {
        throw new IllegalArgumentException("setting keys must be strings (in " + path + ")");
      }
      out.put(key, copyValue(v, path + "." + key));
    });
    return Collections.unmodifiableMap(out);
  }

  private static Object copyValue(Object v, String path) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
        || v instanceof Double) {
      return v;
    }
    if (v instanceof Map<?, ?> m) {
      return copyObject(m, path);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(copyValue(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(out);
    }
    throw new IllegalArgumentException(path + " must be a JSON value (string, boolean, number, list or object),"
        + " was a " + v.getClass().getSimpleName());
  }

  /** Builds a {@link StoredConfig}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new TreeMap<>();

    private Builder() {}

    /** Puts a setting; a null value is left out. */
    public Builder setting(String name, Object value) {
      if (value != null) {
        settings.put(name, value);
      }
      return this;
    }

    /** Puts a secret; a null value is left out (absent). */
    public Builder secret(String name, Secret value) {
      if (value != null) {
        secrets.put(name, value);
      }
      return this;
    }

    /** Puts a write-only secret when it is present; absent and redacted ones are left out. */
    public Builder secret(String name, WriteOnlySecret value) {
      value.ifPresent(s -> secrets.put(name, s));
      return this;
    }

    /**
     * @throws IllegalArgumentException when a setting is not a JSON value
     */
    public StoredConfig build() {
      return new StoredConfig(settings, secrets);
    }
  }
}
