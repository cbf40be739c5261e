package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.destination.Destination;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reason an automatic pause is saved with. */
class AutoPauseTest {
  @Test
  void theReasonSaysForHowLongTheDestinationFailedAndItsLastError() {
    assertThat(AutoPause.reason(Duration.ofDays(1), "HTTP 503"))
        .isEqualTo("paused automatically after failing for 1 day: HTTP 503");
    assertThat(AutoPause.reason(Duration.ofHours(26).plusMinutes(30), "connection refused"))
        .isEqualTo("paused automatically after failing for 1 day 2 hours 30 minutes: connection refused");
    assertThat(AutoPause.reason(Duration.ofMillis(250), "x"))
        .isEqualTo("paused automatically after failing for 250 milliseconds: x");
    assertThat(AutoPause.describe(Duration.ofSeconds(2))).isEqualTo("2 seconds");
  }

  @Test
  void aLongErrorIsCutShortSoThatTheReasonFitsItsLimit() {
    String reason = AutoPause.reason(Duration.ofDays(2), "e".repeat(5000));

    assertThat(reason).hasSize(Destination.MAX_PAUSED_REASON_LENGTH)
        .startsWith("paused automatically after failing for 2 days: eee").endsWith("...");
  }

  @Test
  void refusesANegativeTime() {
    ListenerNotifier listener = new ListenerNotifier(new RecordingListener());
    assertThatThrownBy(() -> new AutoPause(Duration.ofSeconds(-1), DestinationPauser.NONE, listener))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoPauseAfter");
    assertThat(AutoPause.off(listener).enabled()).isFalse();
  }
}
