package io.auditstream.api.destination;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Whether a destination signs what it sends as the Standard Webhooks specification describes
 * (headers {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}), and with
 * which signing secrets. It is in one of three states:
 *
 * <ul>
 *   <li><b>off</b> (the default): nothing is signed;
 *   <li><b>on</b>: every request is signed with the current secret;
 *   <li><b>rotating</b>: every request is signed with the current secret and with the previous one,
 *       both signatures sent space-separated, so that receivers can switch secrets without a gap.
 * </ul>
 *
 * <p>A signing secret is {@value #SECRET_PREFIX} followed by the base64 of {@value #MIN_KEY_BYTES} to
 * {@value #MAX_KEY_BYTES} random bytes, the key of the HMAC-SHA256. Signing secrets are write-only
 * ({@link WriteOnlySecret}): listings carry them {@linkplain #redacted() redacted}, and no message,
 * log line or {@link #toString()} shows them.
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookSigning {
  /** What every signing secret starts with. */
  public static final String SECRET_PREFIX = "whsec_";
  /** The fewest random bytes a signing secret may encode. */
  public static final int MIN_KEY_BYTES = 24;
  /** The most random bytes a signing secret may encode. */
  public static final int MAX_KEY_BYTES = 64;
  /** The field validation messages name. */
  public static final String FIELD = "signingSecret";

  private static final WebhookSigning OFF = new WebhookSigning(WriteOnlySecret.absent(), WriteOnlySecret.absent());

  private final WriteOnlySecret current;
  private final WriteOnlySecret previous;

  private WebhookSigning(WriteOnlySecret current, WriteOnlySecret previous) {
    this.current = current;
    this.previous = previous;
  }

  /** Signing off: nothing is signed. */
  public static WebhookSigning off() {
    return OFF;
  }

  /**
   * Signing on, with {@code secret} alone.
   *
   * @throws ValidationException naming {@value #FIELD} when the secret breaks the rule (the message
   *     never shows it)
   */
  public static WebhookSigning with(Secret secret) {
    requireValid(secret);
    return new WebhookSigning(WriteOnlySecret.of(secret), WriteOnlySecret.absent());
  }

  /**
   * Signing as a store keeps it: {@code current} alone, or rotating from {@code previous} when that is
   * not null.
   *
   * @throws ValidationException naming {@value #FIELD} when a secret breaks the rule
   */
  public static WebhookSigning of(Secret current, Secret previous) {
    requireValid(current);
    if (previous == null) {
      return new WebhookSigning(WriteOnlySecret.of(current), WriteOnlySecret.absent());
    }
    requireValid(previous);
    return new WebhookSigning(WriteOnlySecret.of(current), WriteOnlySecret.of(previous));
  }

  /**
   * A rotation to {@code next}: it becomes the current secret and the current one the previous, so both
   * sign until {@link #rotationEnded()}. A rotation started during another drops its oldest secret.
   *
   * @throws ValidationException naming {@value #FIELD} when {@code next} breaks the rule or equals the
   *     current secret, or when signing is off (there is nothing to rotate from)
   * @throws IllegalStateException when this copy is redacted
   */
  public WebhookSigning rotatedTo(Secret next) {
    requireValid(next);
    if (!enabled()) {
      throw new ValidationException(FIELD, "signing is off: enable it before rotating its secret");
    }
    Secret now = carried(current);
    if (now.equals(next)) {
      throw new ValidationException(FIELD, FIELD + " must differ from the current signing secret to rotate to it");
    }
    return new WebhookSigning(WriteOnlySecret.of(next), WriteOnlySecret.of(now));
  }

  /** The rotation ended: the current secret alone signs. This when not rotating. */
  public WebhookSigning rotationEnded() {
    return rotating() ? new WebhookSigning(current, WriteOnlySecret.absent()) : this;
  }

  /** Whether requests are signed. */
  public boolean enabled() {
    return current.isSet();
  }

  /** Whether a rotation is under way: the previous secret signs too. */
  public boolean rotating() {
    return previous.isSet();
  }

  /** The current signing secret: absent when off, redacted in a listing. */
  public WriteOnlySecret current() {
    return current;
  }

  /** The previous signing secret during a rotation: absent otherwise, redacted in a listing. */
  public WriteOnlySecret previous() {
    return previous;
  }

  /**
   * The secrets that sign, the current one first: none when off, two while rotating.
   *
   * @throws IllegalStateException when this copy is redacted
   */
  public List<Secret> secrets() {
    List<Secret> secrets = new ArrayList<>(2);
    if (enabled()) {
      secrets.add(carried(current));
    }
    if (rotating()) {
      secrets.add(carried(previous));
    }
    return List.copyOf(secrets);
  }

  /** This signing as a listing shows it: the state, with every secret redacted. */
  public WebhookSigning redacted() {
    return enabled() ? new WebhookSigning(current.redacted(), previous.redacted()) : OFF;
  }

  /**
   * Checks a signing secret: {@value #SECRET_PREFIX}, then the base64 (standard alphabet, padding
   * optional) of {@value #MIN_KEY_BYTES} to {@value #MAX_KEY_BYTES} bytes. The violation names {@code
   * field} and the rule, never the secret.
   */
  public static void validateSecret(ValidationException.Collector v, String field, Secret secret) {
    if (secret == null) {
      v.add(field, field + " is required");
      return;
    }
    String value = secret.reveal();
    if (!value.startsWith(SECRET_PREFIX)) {
      v.add(field, field + " must start with " + SECRET_PREFIX + " (was " + secret.length() + " characters without it)");
      return;
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      v.add(field, field + " must be " + SECRET_PREFIX + " followed by base64 (the standard alphabet, no spaces)");
      return;
    }
    v.check(key.length >= MIN_KEY_BYTES && key.length <= MAX_KEY_BYTES, field, field + " must encode "
        + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " random bytes (was " + key.length + " bytes)");
  }

  private static void requireValid(Secret secret) {
    Objects.requireNonNull(secret, FIELD);
    ValidationException.Collector v = ValidationException.collector();
    validateSecret(v, FIELD, secret);
    v.throwIfAny();
  }

  private static Secret carried(WriteOnlySecret secret) {
    if (secret.isRedacted()) {
      throw new IllegalStateException("the signing secrets of a listed destination are redacted");
    }
    return secret.get();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebhookSigning s && current.equals(s.current) && previous.equals(s.previous);
  }

  @Override
  public int hashCode() {
    return current.hashCode() * 31 + previous.hashCode();
  }

  /** {@code off}, {@code on} or {@code rotating}; never a secret. */
  @Override
  public String toString() {
    return rotating() ? "rotating" : enabled() ? "on" : "off";
  }
}
