package io.auditstream.core.internal;

import io.auditstream.api.sink.DeliveryException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a failed delivery attempt said, as the lane records it and {@link RetryDecider} decides on it.
 *
 * @param message what a destination's status may show: the sink's message, or an exception's class
 *     and message (sinks keep secrets out of their messages)
 * @param retryable whether the same batch may succeed later
 * @param retryAfter how long the receiver asked to wait before the next attempt, or null
 */
record AttemptFailure(String message, boolean retryable, Duration retryAfter) {
  AttemptFailure {
    Objects.requireNonNull(message, "message");
  }

  /** A failure the sink reported. */
  static AttemptFailure of(DeliveryException e) {
    return new AttemptFailure(String.valueOf(e.getMessage()), e.isRetryable(), e.retryAfter().orElse(null));
  }

  /** A sink that threw unexpectedly: treated like a transient failure, since it may be a fluke. */
  static AttemptFailure unexpected(RuntimeException e) {
    return new AttemptFailure(describe(e), true, null);
  }

  /** The {@link SinkFactory} failed to create the sink: retried like a transient failure of the batch. */
  static AttemptFailure sinkNotCreated(RuntimeException e) {
    return new AttemptFailure("sink could not be created: " + describe(e), true, null);
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
