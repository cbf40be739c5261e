package io.auditstream.api.destination;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery health of one destination, as the engine has seen it since it started.
 *
 * @param destinationId the destination
 * @param pending events queued for it, including the one in flight
 * @param delivered events it accepted
 * @param failed events given up on since the engine started: made dead letters (refused for good, or
 *     aged out of their retries)
 * @param dropped events not queued for it because its backlog (or the whole in-memory queue) was at
 *     its bound, or lost when the streamer closed with them in an in-memory queue
 * @param deadLetters dead letters kept for it now (read from the delivery queue): an Owner can list and
 *     redeliver them
 * @param consecutiveFailures failed attempts since the last success
 * @param lastSuccessAt when it last accepted an event, if ever
 * @param lastFailureAt when an attempt last failed, if ever
 * @param lastError what the last failed attempt said (never a secret), if any
 * @param pausedReason why the destination is paused, if it is ({@link Destination#pausedReason()}):
 *     its events wait in its backlog ({@code pending}) until it is resumed
 */
public record DestinationStatus(
    DestinationId destinationId,
    long pending,
    long delivered,
    long failed,
    long dropped,
    long deadLetters,
    int consecutiveFailures,
    Optional<Instant> lastSuccessAt,
    Optional<Instant> lastFailureAt,
    Optional<String> lastError,
    Optional<String> pausedReason) {

  /** Checks that no component is null. */
  public DestinationStatus {
    Objects.requireNonNull(destinationId, "destinationId");
    Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
    Objects.requireNonNull(lastFailureAt, "lastFailureAt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(pausedReason, "pausedReason");
  }

  /** The status of a destination that is not paused; the other components as in the canonical constructor. */
  public DestinationStatus(DestinationId destinationId, long pending, long delivered, long failed, long dropped,
      long deadLetters, int consecutiveFailures, Optional<Instant> lastSuccessAt, Optional<Instant> lastFailureAt,
      Optional<String> lastError) {
    this(destinationId, pending, delivered, failed, dropped, deadLetters, consecutiveFailures, lastSuccessAt,
        lastFailureAt, lastError, Optional.empty());
  }

  /** The status of a destination that has seen no event yet. */
  public static DestinationStatus empty(DestinationId id) {
    return new DestinationStatus(id, 0, 0, 0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether the last attempt succeeded (or none was made). A paused destination may be healthy. */
  public boolean healthy() {
    return consecutiveFailures == 0;
  }

  /** Whether the destination is paused: {@link #pausedReason()} is present. */
  public boolean paused() {
    return pausedReason.isPresent();
  }

  /** This status with {@code reason} as its {@link #pausedReason()}. */
  public DestinationStatus withPausedReason(Optional<String> reason) {
    return new DestinationStatus(destinationId, pending, delivered, failed, dropped, deadLetters,
        consecutiveFailures, lastSuccessAt, lastFailureAt, lastError, reason);
  }
}
