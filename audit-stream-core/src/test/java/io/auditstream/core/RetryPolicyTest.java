package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy exact = RetryPolicy.builder()
      .schedule(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1)).jitter(false).build();

  @Test
  void defaultsFollowTheStandardWebhooksScheduleForThreeDays() {
    RetryPolicy p = RetryPolicy.defaults();

    assertThat(p.schedule()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
        Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));
    assertThat(p.maxAge()).isEqualTo(Duration.ofHours(72));
    assertThat(p.jitter()).isTrue();
    assertThat(p.maxRetryAfter()).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void waitsTheStepOfEachFailedAttemptAndRepeatsTheLast() {
    assertThat(List.of(exact.delay(1), exact.delay(2), exact.delay(3), exact.delay(4), exact.delay(50)))
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(1),
            Duration.ofMinutes(1));
    assertThatThrownBy(() -> exact.delay(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jitterDrawsEachWaitBetweenFourFifthsAndSixFifthsOfItsStep() {
    RetryPolicy jittered = RetryPolicy.builder().schedule(Duration.ofSeconds(10)).build();

    for (int i = 0; i < 200; i++) {
      assertThat(jittered.delay(1)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    }
  }

  @Test
  void honoursALongerRetryAfterUpToTheLongestStep() {
    assertThat(exact.delay(1, null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(exact.delay(1, Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
    assertThat(exact.delay(2, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(5));
    assertThat(exact.delay(1, Duration.ofDays(2))).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aZeroStepRetriesAtOnceButTheRepeatingLastStepMustBePositive() {
    assertThat(RetryPolicy.builder().schedule(Duration.ZERO, Duration.ofSeconds(1)).build().delay(1)).isZero();
    assertThatThrownBy(() -> RetryPolicy.builder().schedule(Duration.ofSeconds(1), Duration.ZERO).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("last schedule step must be positive");
  }

  @Test
  void refusesAScheduleOrMaxAgeOutOfRangeNamingTheSetting() {
    assertThatThrownBy(() -> RetryPolicy.builder().schedule().build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("schedule must have 1 to 100 steps");
    assertThatThrownBy(() -> RetryPolicy.builder().schedule(Duration.ofSeconds(-1), Duration.ofSeconds(1)).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("zero or positive");
    assertThatThrownBy(() -> RetryPolicy.builder().schedule((Duration) null).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("schedule");
    assertThatThrownBy(() -> RetryPolicy.builder().maxAge(Duration.ZERO).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("maxAge must be positive");
    assertThatThrownBy(() -> RetryPolicy.builder().maxAge(null).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("maxAge");
  }

  @Test
  void keepsItsScheduleWhateverTheBuilderDoesLater() {
    Duration[] steps = {Duration.ofSeconds(1)};
    RetryPolicy.Builder b = RetryPolicy.builder().schedule(steps).maxAge(Duration.ofMinutes(3));
    RetryPolicy p = b.build();
    steps[0] = Duration.ofHours(1);
    b.schedule(Duration.ofSeconds(9));

    assertThat(p.schedule()).containsExactly(Duration.ofSeconds(1));
    assertThat(p).hasToString("RetryPolicy{schedule=[PT1S], maxAge=PT3M, jitter=true}");
  }
}
