package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The time of acceptance that producers read without reading the clock. */
class AcceptanceClockTest {
  @Test
  void givesTheKeptReadingOfTheSystemClockUntilItIsForgotten() {
    AcceptanceClock clock = new AcceptanceClock(Clock.systemUTC());
    clock.keep();
    long kept = clock.millis();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));

    assertThat(clock.millis()).isEqualTo(kept);

    clock.forget();
    assertThat(clock.millis()).isGreaterThanOrEqualTo(kept + 20);
  }

  @Test
  void neverGivesATimeLaterThanTheSystemClocks() {
    AcceptanceClock clock = new AcceptanceClock(Clock.systemUTC());
    assertThat(clock.millis()).isLessThanOrEqualTo(System.currentTimeMillis());
    clock.keep();
    assertThat(clock.millis()).isLessThanOrEqualTo(System.currentTimeMillis());
  }

  @Test
  void readsAClockGivenByTheHostForEachEventSoThatAMoveIsSeenAtOnce() {
    MutableClock hosts = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    AcceptanceClock clock = new AcceptanceClock(hosts);
    clock.keep();

    hosts.advance(Duration.ofMinutes(55));

    assertThat(clock.millis()).isEqualTo(Instant.parse("2026-11-25T12:55:00Z").toEpochMilli());
  }
}
