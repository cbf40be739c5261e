package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.sink.DeliveryException;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.internal.RetryDecider.Decision;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.GiveUpReason;
import io.auditstream.core.internal.RetryDecider.Isolate;
import io.auditstream.core.internal.RetryDecider.Retry;
import io.auditstream.core.internal.RetryDecider.RetryState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDeciderTest {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  /** 1 ms doubling up to 2 s, no jitter, 4 attempts per batch. */
  private final RetryDecider decider = new RetryDecider(RetryPolicy.builder().initialBackoff(Duration.ofMillis(1))
      .maxBackoff(MAX_BACKOFF).jitter(false).maxAttempts(4).build());

  private static final AttemptFailure RETRYABLE = new AttemptFailure("HTTP 503", true, null);
  private static final AttemptFailure PERMANENT = new AttemptFailure("HTTP 400", false, null);

  private static AttemptFailure retryAfter(Duration d) {
    return new AttemptFailure("HTTP 429", true, d);
  }

  @Test
  void retryableFailureUnderTheLimitRetriesAfterThePolicysBackoff() {
    Decision first = decider.onFailure(RetryState.INITIAL, 1, RETRYABLE);
    Decision second = decider.onFailure(first.next(), 1, RETRYABLE);

    assertThat(first).isEqualTo(new Retry(Duration.ofMillis(1), new RetryState(1, 1)));
    assertThat(second).isEqualTo(new Retry(Duration.ofMillis(2), new RetryState(2, 2)));
  }

  @Test
  void retryableFailureOfABatchRetriesTheWholeBatch() {
    assertThat(decider.onFailure(RetryState.INITIAL, 10, RETRYABLE))
        .isEqualTo(new Retry(Duration.ofMillis(1), new RetryState(1, 1)));
  }

  @Test
  void retryableFailureAtTheLimitGivesUpWithRetriesExhausted() {
    Decision d = decider.onFailure(new RetryState(3, 3), 1, RETRYABLE);

    assertThat(d).isEqualTo(new GiveUp(GiveUpReason.RETRIES_EXHAUSTED, 4, Optional.empty(), new RetryState(0, 4)));
    assertThat(GiveUpReason.RETRIES_EXHAUSTED.description()).isEqualTo("retries exhausted");
  }

  @Test
  void aRuntimeExceptionFromTheSinkIsRetryable() {
    AttemptFailure f = AttemptFailure.unexpected(new IllegalStateException("connection reset"));

    assertThat(f.message()).isEqualTo("IllegalStateException: connection reset");
    assertThat(decider.onFailure(RetryState.INITIAL, 1, f)).isInstanceOf(Retry.class);
  }

  @Test
  void aSinkThatCouldNotBeCreatedIsRetryable() {
    AttemptFailure f = AttemptFailure.sinkNotCreated(new IllegalArgumentException());

    assertThat(f.message()).isEqualTo("sink could not be created: IllegalArgumentException");
    assertThat(decider.onFailure(RetryState.INITIAL, 1, f)).isInstanceOf(Retry.class);
  }

  @Test
  void permanentFailureOfOneEventGivesUpAtOnce() {
    Decision d = decider.onFailure(RetryState.INITIAL, 1, PERMANENT);

    assertThat(d).isEqualTo(new GiveUp(GiveUpReason.PERMANENT, 1, Optional.empty(), new RetryState(0, 1)));
    assertThat(GiveUpReason.PERMANENT.description()).isEqualTo("permanent failure");
  }

  @Test
  void permanentFailureAfterRetriesGivesUpCountingEveryAttempt() {
    assertThat(decider.onFailure(new RetryState(2, 2), 1, PERMANENT))
        .isEqualTo(new GiveUp(GiveUpReason.PERMANENT, 3, Optional.empty(), new RetryState(0, 3)));
  }

  @Test
  void permanentFailureOfABatchIsolatesItsEventsWithoutCountingAFailedAttempt() {
    assertThat(decider.onFailure(new RetryState(2, 2), 5, PERMANENT)).isEqualTo(new Isolate(new RetryState(0, 2)));
  }

  @Test
  void permanentFailureFromTheSinksExceptionIsPermanent() {
    AttemptFailure f = AttemptFailure.of(DeliveryException.permanent("entry too large", null));

    assertThat(f).isEqualTo(new AttemptFailure("entry too large", false, null));
    assertThat(decider.onFailure(RetryState.INITIAL, 2, f)).isInstanceOf(Isolate.class);
  }

  @Test
  void retryAfterLongerThanTheOwnBackoffIsHonoured() {
    AttemptFailure f = AttemptFailure.of(DeliveryException.retryableAfter("HTTP 429", Duration.ofMillis(1500)));

    assertThat(f.retryAfter()).isEqualTo(Duration.ofMillis(1500));
    assertThat(decider.onFailure(RetryState.INITIAL, 1, f))
        .isEqualTo(new Retry(Duration.ofMillis(1500), new RetryState(1, 1)));
  }

  @Test
  void retryAfterShorterThanTheOwnBackoffIsOverruled() {
    assertThat(decider.onFailure(new RetryState(2, 2), 1, retryAfter(Duration.ofMillis(1))))
        .isEqualTo(new Retry(Duration.ofMillis(4), new RetryState(3, 3)));
  }

  @Test
  void retryAfterIsCappedAtFourTimesMaxBackoff() {
    assertThat(decider.onFailure(RetryState.INITIAL, 1, retryAfter(Duration.ofMinutes(5))))
        .isEqualTo(new Retry(MAX_BACKOFF.multipliedBy(4), new RetryState(1, 1)));
  }

  @Test
  void breakerOpensAtTheThresholdOfConsecutiveFailures() {
    assertThat(RetryDecider.CIRCUIT_BREAKER_THRESHOLD).isEqualTo(5);
    assertThat(new RetryState(0, 4).breakerOpen()).isFalse();
    assertThat(new RetryState(0, 5).breakerOpen()).isTrue();
    assertThat(decider.probeInterval()).isEqualTo(MAX_BACKOFF);
  }

  @Test
  void failureBelowTheThresholdKeepsThePolicysBackoff() {
    // The 4th failure in a row, first attempt of its batch.
    assertThat(decider.onFailure(new RetryState(0, 3), 1, RETRYABLE))
        .isEqualTo(new Retry(Duration.ofMillis(1), new RetryState(1, 4)));
  }

  @Test
  void failureThatOpensTheBreakerStretchesTheRetryToMaxBackoff() {
    assertThat(decider.onFailure(new RetryState(0, 4), 1, RETRYABLE))
        .isEqualTo(new Retry(MAX_BACKOFF, new RetryState(1, 5)));
  }

  @Test
  void openBreakerStretchesEveryRetryToMaxBackoff() {
    assertThat(decider.onFailure(new RetryState(1, 9), 1, RETRYABLE))
        .isEqualTo(new Retry(MAX_BACKOFF, new RetryState(2, 10)));
  }

  @Test
  void openBreakerKeepsALongerRetryAfter() {
    assertThat(decider.onFailure(new RetryState(0, 7), 1, retryAfter(Duration.ofSeconds(7))))
        .isEqualTo(new Retry(Duration.ofSeconds(7), new RetryState(1, 8)));
  }

  @Test
  void openBreakerMakesTheNextBatchWaitForAProbeAfterAGiveUp() {
    assertThat(decider.onFailure(new RetryState(0, 4), 1, PERMANENT))
        .isEqualTo(new GiveUp(GiveUpReason.PERMANENT, 1, Optional.of(MAX_BACKOFF), new RetryState(0, 5)));
    assertThat(decider.onFailure(new RetryState(3, 12), 1, RETRYABLE))
        .isEqualTo(new GiveUp(GiveUpReason.RETRIES_EXHAUSTED, 4, Optional.of(MAX_BACKOFF), new RetryState(0, 13)));
  }

  @Test
  void openBreakerStillIsolatesABatchRefusedForGoodAtOnce() {
    assertThat(decider.onFailure(new RetryState(0, 6), 3, PERMANENT)).isEqualTo(new Isolate(new RetryState(0, 6)));
  }

  @Test
  void successResetsAttemptsAndClosesTheBreaker() {
    RetryState after = decider.onSuccess(new RetryState(3, 11));

    assertThat(after).isEqualTo(RetryState.INITIAL);
    assertThat(after.breakerOpen()).isFalse();
    assertThat(decider.onFailure(after, 1, RETRYABLE)).isEqualTo(new Retry(Duration.ofMillis(1), new RetryState(1, 1)));
  }

  @Test
  void missingSinkCountsAsAFailureInARowAndStartsTheNextBatchAfresh() {
    assertThat(decider.onMissingSink(new RetryState(2, 4))).isEqualTo(new RetryState(0, 5));
  }

  @Test
  void nextBatchStartsWithNoAttemptsAndTheBreakerAsItWas() {
    assertThat(new RetryState(3, 6).forNextBatch()).isEqualTo(new RetryState(0, 6));
    assertThat(RetryState.INITIAL.forNextBatch()).isSameAs(RetryState.INITIAL);
  }

  @Test
  void stateRefusesNegativeCounts() {
    assertThatThrownBy(() -> new RetryState(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryState(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDestinationDownForSevenAttemptsIsProbedOncePerMaxBackoffOnceTheBreakerOpens() {
    RetryDecider patient = new RetryDecider(RetryPolicy.builder().initialBackoff(Duration.ofMillis(1))
        .maxBackoff(MAX_BACKOFF).jitter(false).maxAttempts(20).build());
    RetryState state = RetryState.INITIAL;
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Decision d = patient.onFailure(state, 1, RETRYABLE);
      delays.add(((Retry) d).delay());
      state = d.next();
    }

    assertThat(delays).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4),
        Duration.ofMillis(8), MAX_BACKOFF, MAX_BACKOFF, MAX_BACKOFF);
    assertThat(patient.onSuccess(state)).isEqualTo(RetryState.INITIAL);
  }
}
