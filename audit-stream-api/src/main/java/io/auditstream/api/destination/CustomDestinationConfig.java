package io.auditstream.api.destination;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings of a destination whose kind comes from a plug-in sink (see {@link
 * io.auditstream.api.sink.SinkProvider}): plain settings and write-only secrets, both as string
 * maps. The plug-in's {@code SinkProvider.validate} checks what they must hold.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows secret names, never their values.
 *
 * @param kind the plug-in's kind, lowercase letters, digits and {@code -}
 * @param settings plain settings, shown in listings
 * @param secrets write-only settings, never shown in listings
 */
public record CustomDestinationConfig(String kind, Map<String, String> settings, Map<String, Secret> secrets)
    implements DestinationConfig {
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  /** What a listing shows in place of a secret. */
  public static final Secret REDACTED = Secret.of("");

  /**
   * Creates the config after checking {@code kind}; {@code null} maps become empty, and both maps are copied
   * into unmodifiable maps sorted by key.
   *
   * @throws ValidationException when {@code kind} is not 1 to 32 lowercase letters, digits or {@code -}
   *     starting with a letter
   * @throws NullPointerException when a map holds a null key
   */
  public CustomDestinationConfig {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new ValidationException("kind", "kind must be 1 to 32 lowercase letters, digits or '-', starting with a letter (was '" + kind + "')");
    }
    settings = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(settings, Map.of())));
    secrets = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNullElse(secrets, Map.of())));
  }

  /** A config of {@code kind} with plain settings only. */
  public static CustomDestinationConfig of(String kind, Map<String, String> settings) {
    return new CustomDestinationConfig(kind, settings, Map.of());
  }

  /** A plain setting, or {@code null}. */
  public String setting(String name) {
    return settings.get(name);
  }

  @Override
  public DestinationConfig redacted() {
    TreeMap<String, Secret> masked = new TreeMap<>();
    secrets.keySet().forEach(k -> masked.put(k, REDACTED));
    return new CustomDestinationConfig(kind, settings, masked);
  }

  @Override
  public String toString() {
    return "CustomDestinationConfig{kind=" + kind + ", settings=" + settings + ", secrets=" + secrets.keySet() + "}";
  }
}
