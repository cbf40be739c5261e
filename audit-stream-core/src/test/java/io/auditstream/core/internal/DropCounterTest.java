package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DropCounterTest {
  @Test
  void asksToLogTheFirstDropThenStaysQuietWithinTheInterval() {
    DropCounter drops = new DropCounter(Duration.ofHours(1));

    assertThat(drops.drop()).isTrue();
    assertThat(drops.drop()).isFalse();
    assertThat(drops.drop()).isFalse();
    assertThat(drops.count()).isEqualTo(3);
  }

  @Test
  void asksToLogAgainOnceTheIntervalHasPassed() {
    DropCounter drops = new DropCounter(Duration.ZERO);

    assertThat(drops.drop()).isTrue();
    assertThat(drops.drop()).isTrue();
    assertThat(drops.count()).isEqualTo(2);
  }
}
