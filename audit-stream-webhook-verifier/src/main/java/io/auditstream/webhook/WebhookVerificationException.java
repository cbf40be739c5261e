package io.auditstream.webhook;

import java.util.Objects;

/**
 * A received request failed {@link WebhookVerifier verification}: it must not be trusted. {@link
 * #reason()} says why, for a receiver that answers or counts each case differently; the message says
 * it in words. Neither ever contains a signing secret.
 */
public final class WebhookVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a request failed verification. */
  public enum Reason {
    /** One of {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} is missing or empty. */
    MISSING_HEADER,
    /** {@code webhook-timestamp} is not a whole number of seconds since the epoch. */
    BAD_TIMESTAMP,
    /** The timestamp is older than the tolerance allows: a late or replayed request. */
    TIMESTAMP_TOO_OLD,
    /** The timestamp is further in the future than the tolerance allows. */
    TIMESTAMP_TOO_NEW,
    /** No {@code v1} signature of the header matches the request under any of the secrets. */
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;

  /** A failure for {@code reason}, described by {@code message} (which must hold no secret). */
  public WebhookVerificationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why verification failed. */
  public Reason reason() {
    return reason;
  }
}
