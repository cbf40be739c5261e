package io.auditstream.api.destination;

import io.auditstream.api.Secret;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A write-only setting of a destination (a private key, a secret access key): an Owner may set or
 * replace it but never read it back. It is in one of three states:
 *
 * <ul>
 *   <li><b>present</b>: it carries the value (a config being saved, or the one the engine hands a
 *       sink);
 *   <li><b>redacted</b>: a value is set, but this copy does not carry it (a listing);
 *   <li><b>absent</b>: no value is set.
 * </ul>
 *
 * <p>An update whose config leaves a write-only secret absent or redacted keeps the stored value
 * ({@link #orKeep(WriteOnlySecret)}), so an Owner can edit the config a listing returned without
 * handing the secret again; a present value replaces it.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the value; {@link #equals} compares
 * the state and, in constant time, the value.
 */
public final class WriteOnlySecret {
  private static final WriteOnlySecret ABSENT = new WriteOnlySecret(null, false);
  private static final WriteOnlySecret REDACTED = new WriteOnlySecret(null, true);

  private final Secret value;
  private final boolean set;

  private WriteOnlySecret(Secret value, boolean set) {
    this.value = value;
    this.set = set;
  }

  /** A present secret carrying {@code value}. */
  public static WriteOnlySecret of(Secret value) {
    return new WriteOnlySecret(Objects.requireNonNull(value, "value"), true);
  }

  /** A present secret carrying {@code value}. */
  public static WriteOnlySecret of(String value) {
    return of(Secret.of(Objects.requireNonNull(value, "value")));
  }

  /** Present when {@code value} is not null, else {@link #absent()}. */
  public static WriteOnlySecret ofNullable(String value) {
    return value == null ? ABSENT : of(value);
  }

  /** Present when {@code value} is not null, else {@link #absent()}. */
  public static WriteOnlySecret ofNullable(Secret value) {
    return value == null ? ABSENT : of(value);
  }

  /** No value set. */
  public static WriteOnlySecret absent() {
    return ABSENT;
  }

  /** A value is set but not carried, as a listing shows it. */
  public static WriteOnlySecret redactedValue() {
    return REDACTED;
  }

  /** Whether this copy carries the value. */
  public boolean isPresent() {
    return value != null;
  }

  /** Whether this copy carries no value (it is absent or redacted). */
  public boolean isEmpty() {
    return value == null;
  }

  /** Whether a value is set: present, or redacted. */
  public boolean isSet() {
    return set;
  }

  /** Whether a value is set but this copy does not carry it. */
  public boolean isRedacted() {
    return set && value == null;
  }

  /** The value, when present. */
  public Optional<Secret> value() {
    return Optional.ofNullable(value);
  }

  /**
   * The value.
   *
   * @throws NoSuchElementException when it is absent or redacted
   */
  public Secret get() {
    if (value == null) {
      throw new NoSuchElementException(set ? "the secret is redacted" : "no secret is set");
    }
    return value;
  }

  /** Calls {@code action} with the value when present. */
  public void ifPresent(Consumer<Secret> action) {
    if (value != null) {
      action.accept(value);
    }
  }

  /** This secret as a listing shows it: redacted when a value is set, absent otherwise. */
  public WriteOnlySecret redacted() {
    return set ? REDACTED : ABSENT;
  }

  /**
   * What an update leaves in place: this secret when it is present, else {@code stored} (the value the
   * destination has now) when that one is present, else this.
   */
  public WriteOnlySecret orKeep(WriteOnlySecret stored) {
    return value == null && stored != null && stored.value != null ? stored : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WriteOnlySecret w && set == w.set && Objects.equals(value, w.value);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(set) * 31 + (value == null ? 0 : value.hashCode());
  }

  /** {@code ****} when present, {@code (redacted)} or {@code (absent)} otherwise; never the value. */
  @Override
  public String toString() {
    return value != null ? "****" : set ? "(redacted)" : "(absent)";
  }
}
