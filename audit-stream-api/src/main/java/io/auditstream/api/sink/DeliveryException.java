package io.auditstream.api.sink;

import java.time.Duration;
import java.util.Optional;

/**
 * Thrown by a {@link Sink} when a delivery fails. A retryable failure (a 5xx, 408 or 429, a
 * timeout, a refused connection) is tried again with backoff; a permanent one (a 4xx, bad
 * credentials, a refused address) is not, and is reported on the destination's status.
 *
 * <p>The message must not contain a secret; it ends up in logs and in {@code DestinationStatus}.
 */
public final class DeliveryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;
  private final transient Duration retryAfter;

  private DeliveryException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** A failure worth trying again, caused by {@code cause} (which may be null). */
  public static DeliveryException retryable(String message, Throwable cause) {
    return new DeliveryException(message, true, null, cause);
  }

  /** A failure worth trying again, found by the sink itself rather than caught (a 503, say). */
  public static DeliveryException retryable(String message) {
    return new DeliveryException(message, true, null, null);
  }

  /** A failure worth trying again, not before {@code retryAfter} (from a {@code Retry-After} header). */
  public static DeliveryException retryableAfter(String message, Duration retryAfter) {
    return new DeliveryException(message, true, retryAfter, null);
  }

  /** A failure that another attempt would not fix, caused by {@code cause} (which may be null). */
  public static DeliveryException permanent(String message, Throwable cause) {
    return new DeliveryException(message, false, null, cause);
  }

  /** A failure that another attempt would not fix, found by the sink itself rather than caught (a 403, say). */
  public static DeliveryException permanent(String message) {
    return new DeliveryException(message, false, null, null);
  }

  /** Whether the engine should try the delivery again (with backoff) rather than give up on the event. */
  public boolean isRetryable() {
    return retryable;
  }

  /** The least time to wait before the next attempt, when the receiver said so. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
