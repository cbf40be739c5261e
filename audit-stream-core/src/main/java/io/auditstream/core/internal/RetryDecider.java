package io.auditstream.core.internal;

import io.auditstream.core.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a delivery lane does after an attempt, and keeps the destination's circuit breaker:
 * state in, decision out. The lane holds the {@link RetryState} and acts on the {@link Decision}.
 *
 * <p>After a failed attempt the decision is one of:
 *
 * <ul>
 *   <li>{@link Isolate}: a batch of several events was refused for good; its events are tried one at
 *       a time (see {@link BatchSplitter}), so that one event the destination refuses does not take
 *       the others down with it. Not counted as a failed attempt: the single attempts that follow
 *       are, each on its own event.
 *   <li>{@link GiveUp}: the failure was permanent, or the batch has had {@link
 *       RetryPolicy#maxAttempts()} attempts; its events are failed.
 *   <li>{@link Retry}: the same batch is attempted again after {@link RetryPolicy#backoff(int,
 *       Duration)}, which honours a receiver's {@code Retry-After}.
 * </ul>
 *
 * <p>Circuit breaker, in the shape of Resilience4j's: closed until {@value
 * #CIRCUIT_BREAKER_THRESHOLD} consecutive attempts failed (whatever their batch); open from then on,
 * which stretches every wait to at least the {@link #probeInterval() probe interval} (the policy's
 * {@code maxBackoff}): a retry's delay, and the pause before the next batch after a give-up. So a
 * destination that is down is probed once per interval instead of hit by a burst per batch. The
 * first success closes it.
 *
 * <p>Pure: a decision depends only on its arguments and the policy. No threads, no clock, no I/O;
 * deterministic when the policy has no jitter (with jitter, the policy draws each backoff at
 * random). Immutable and thread-safe.
 */
final class RetryDecider {
  /** Consecutive failed attempts after which the breaker opens. */
  static final int CIRCUIT_BREAKER_THRESHOLD = 5;

  /**
   * What the decisions depend on besides the failure itself.
   *
   * @param attempts failed attempts of the batch in hand (0 for a new batch)
   * @param consecutiveFailures failed attempts in a row of the destination, across batches; reset
   *     by a success
   */
  record RetryState(int attempts, int consecutiveFailures) {
    /** A lane that has not failed yet: no attempts, breaker closed. */
    static final RetryState INITIAL = new RetryState(0, 0);

    RetryState {
      if (attempts < 0 || consecutiveFailures < 0) {
        throw new IllegalArgumentException("counts must not be negative (were " + attempts + ", "
            + consecutiveFailures + ")");
      }
    }

    /** Whether the breaker is open: the destination is probed once per probe interval at most. */
    boolean breakerOpen() {
      return consecutiveFailures >= CIRCUIT_BREAKER_THRESHOLD;
    }

    /** The state for a new batch: its attempts start from zero, the breaker stays as it is. */
    RetryState forNextBatch() {
      return attempts == 0 ? this : new RetryState(0, consecutiveFailures);
    }
  }

  /** Why a batch was given up on. */
  enum GiveUpReason {
    RETRIES_EXHAUSTED("retries exhausted"),
    PERMANENT("permanent failure");

    private final String description;

    GiveUpReason(String description) {
      this.description = description;
    }

    /** Words for a log line. */
    String description() {
      return description;
    }
  }

  /** What the lane does after a failed attempt; {@link #next()} is the state it keeps from then on. */
  sealed interface Decision permits Retry, GiveUp, Isolate {
    RetryState next();
  }

  /** Attempt the same batch (same ids, same bytes) again after {@code delay}. */
  record Retry(Duration delay, RetryState next) implements Decision {}

  /**
   * Fail the batch's events and go on with the next batch, after {@code pause} when there is one
   * (the breaker is open: the next batch is the next probe).
   *
   * @param attempts how many attempts the batch had, the last one included
   */
  record GiveUp(GiveUpReason reason, int attempts, Optional<Duration> pause, RetryState next) implements Decision {}

  /** Try the batch's events one at a time, from now on; no wait. */
  record Isolate(RetryState next) implements Decision {}

  private final RetryPolicy policy;

  RetryDecider(RetryPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The least wait between two attempts while the breaker is open: the policy's {@code maxBackoff}. */
  Duration probeInterval() {
    return policy.maxBackoff();
  }

  /**
   * Decides after a failed attempt on a batch of {@code batchSize} events.
   *
   * @param state the lane's state before this attempt
   */
  Decision onFailure(RetryState state, int batchSize, AttemptFailure failure) {
    if (!failure.retryable() && batchSize > 1) {
      return new Isolate(state.forNextBatch());
    }
    RetryState failed = new RetryState(state.attempts() + 1, state.consecutiveFailures() + 1);
    if (!failure.retryable() || failed.attempts() >= policy.maxAttempts()) {
      GiveUpReason reason = failure.retryable() ? GiveUpReason.RETRIES_EXHAUSTED : GiveUpReason.PERMANENT;
      Optional<Duration> pause = failed.breakerOpen() ? Optional.of(probeInterval()) : Optional.empty();
      return new GiveUp(reason, failed.attempts(), pause, failed.forNextBatch());
    }
    Duration delay = policy.backoff(failed.attempts(), failure.retryAfter());
    if (failed.breakerOpen() && delay.compareTo(probeInterval()) < 0) {
      delay = probeInterval();
    }
    return new Retry(delay, failed);
  }

  /**
   * The state after the lane could not attempt a batch at all, because no sink serves the
   * destination's kind: a failure in a row like any other, but nothing to retry.
   */
  RetryState onMissingSink(RetryState state) {
    return new RetryState(0, state.consecutiveFailures() + 1);
  }

  /** The state after the destination accepted a batch: no attempts, breaker closed. */
  RetryState onSuccess(RetryState state) {
    return RetryState.INITIAL;
  }
}
