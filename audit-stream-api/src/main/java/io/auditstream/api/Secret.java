package io.auditstream.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential (verification token, private key, secret access key) that must never leak by
 * accident: {@link #toString()} masks it, and the only way to read it is the explicit {@link
 * #reveal()}. Equality is constant-time. Immutable and thread-safe.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Wraps {@code value}; never null. */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself. Call only where it must be used or shown to someone allowed to see it. */
  public String reveal() {
    return value;
  }

  /** The number of characters, which validation messages may mention. */
  public int length() {
    return value.length();
  }

  /** Whether this secret equals {@code candidate}, compared in constant time. */
  public boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && matches(other.value);
  }

  @Override
  public int hashCode() {
    return value.length();
  }

  @Override
  public String toString() {
    return "****";
  }
}
