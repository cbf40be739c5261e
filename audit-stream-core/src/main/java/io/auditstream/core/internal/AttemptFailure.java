package io.auditstream.core.internal;

import io.auditstream.api.sink.DeliveryException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

  /**
   * What a sink's future failed with: a {@link DeliveryException} (possibly wrapped in a {@link
   * CompletionException} or {@link ExecutionException}) as the sink said, anything else as {@link
   * #unexpected}.
   */
  static AttemptFailure ofAsync(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof DeliveryException e ? of(e) : unexpected(cause);
  }

  /** The destination did not answer within {@code bound}: retried like a transient failure. */
  static AttemptFailure noAnswer(Duration bound) {
    return new AttemptFailure("no answer within " + AutoPause.describe(bound), true, null);
  }

  /**
   * No attempt was made: {@code unanswered} earlier deliveries to the destination got no answer yet and
   * fill the sink's room for deliveries in flight. Retried like a transient failure.
   */
  static AttemptFailure stillUnanswered(int unanswered) {
    return new AttemptFailure(unanswered + " earlier deliver" + (unanswered == 1 ? "y is" : "ies are")
        + " still unanswered", true, null);
  }

  /** A sink that threw unexpectedly: treated like a transient failure, since it may be a fluke. */
  static AttemptFailure unexpected(Throwable e) {
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
