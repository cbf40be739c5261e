package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * The delivery counters of one destination, turned into a {@link DestinationStatus} on demand.
 * Thread-safe: every method is synchronized and short.
 */
final class DestinationHealth {
  private final DestinationId id;
  private long delivered;
  private long failed;
  private long dropped;
  private int consecutiveFailures;
  private Instant lastSuccessAt;
  private Instant lastFailureAt;
  private String lastError;
  // The first failed attempt of the current run of transient failures; null when the last attempt succeeded.
  private Instant failingSince;

  DestinationHealth(DestinationId id) {
    this.id = id;
  }

  DestinationId id() {
    return id;
  }

  /** {@code count} events were accepted by the destination. */
  synchronized void delivered(int count, Instant at) {
    delivered += count;
    consecutiveFailures = 0;
    lastSuccessAt = at;
    failingSince = null;
  }

  /**
   * An attempt failed (or could not be made: no sink for the destination's kind).
   *
   * @param error the sink's message; never a secret
   * @param retryable whether it may succeed later: such failures in a row, with no success in between,
   *     make the destination {@linkplain #failingSince() failing since} the first of them
   */
  synchronized void attemptFailed(String error, boolean retryable, Instant at) {
    consecutiveFailures++;
    lastFailureAt = at;
    lastError = error;
    if (retryable && failingSince == null) {
      failingSince = at;
    }
  }

  /**
   * When the destination's current run of transient failures began: the first failed attempt since the
   * last success (or since it was resumed, or since the engine started); null when it is not failing.
   */
  synchronized Instant failingSince() {
    return failingSince;
  }

  /** The destination was resumed after a pause: a run of failures from before counts no more. */
  synchronized void resumed() {
    failingSince = null;
  }

  /** {@code count} events were given up on: made dead letters. */
  synchronized void failed(int count) {
    failed += count;
  }

  /** Failed attempts since the last success. */
  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** One event was dropped for this destination: its backlog or the queue was full, or the streamer closed. */
  synchronized void dropped() {
    dropped++;
  }

  /** The status now, with {@code pending} and {@code deadLetters} read from the queue by the caller. */
  synchronized DestinationStatus snapshot(long pending, long deadLetters) {
    return new DestinationStatus(id, pending, delivered, failed, dropped, deadLetters, consecutiveFailures,
        Optional.ofNullable(lastSuccessAt), Optional.ofNullable(lastFailureAt), Optional.ofNullable(lastError));
  }
}
