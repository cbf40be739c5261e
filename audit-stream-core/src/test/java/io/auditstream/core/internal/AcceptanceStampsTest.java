package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The times of acceptance the router finds for the events it drains, with no clock read on the host's thread. */
class AcceptanceStampsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final AcceptanceStamps stamps = new AcceptanceStamps(clock);

  private long at(long millisAfterT0) {
    return T0.toEpochMilli() + millisAfterT0;
  }

  private void marksAtClaims0And3And7FiveMillisecondsApart() {
    stamps.mark(() -> 0);
    clock.advance(Duration.ofMillis(5));
    stamps.mark(() -> 3);
    clock.advance(Duration.ofMillis(5));
    stamps.mark(() -> 7);
  }

  @Test
  void anEventGetsTheTimeOfTheLatestMarkTakenBeforeItWasClaimed() {
    marksAtClaims0And3And7FiveMillisecondsApart();

    assertThat(stamps.stampOf(0)).isEqualTo(at(0));
    assertThat(stamps.stampOf(2)).isEqualTo(at(0));
    assertThat(stamps.stampOf(3)).isEqualTo(at(5));
    assertThat(stamps.stampOf(6)).isEqualTo(at(5));
    assertThat(stamps.stampOf(7)).isEqualTo(at(10));
    assertThat(stamps.stampOf(1_000)).isEqualTo(at(10));
  }

  @Test
  void theClockIsReadBeforeTheClaimsSoAStampIsNeverLaterThanTheClaim() {
    // An event claimed between the two readings has the index the claims are read as, and came after the clock.
    stamps.mark(() -> {
      clock.advance(Duration.ofSeconds(1));
      return 0;
    });

    assertThat(stamps.stampOf(0)).isEqualTo(at(0));
  }

  @Test
  void aMarkWithNothingClaimedSinceTakesTheNewerReading() {
    stamps.mark(() -> 4);
    clock.advance(Duration.ofHours(1));
    stamps.mark(() -> 4);

    // The next event, claimed after the second reading, is not an hour older than it is.
    assertThat(stamps.stampOf(4)).isEqualTo(at(3_600_000));
    assertThat(stamps.marks()).isOne();
  }

  @Test
  void marksNoEventNeedsAreLetGoAndThoseAnUnpublishedEventNeedsAreKept() {
    marksAtClaims0And3And7FiveMillisecondsApart();

    // Taken up to index 5 (the event at 5 claimed, not yet published): it still needs the mark at 3.
    stamps.taken(5);
    assertThat(stamps.marks()).isEqualTo(2);
    assertThat(stamps.stampOf(5)).isEqualTo(at(5));

    stamps.taken(7);
    assertThat(stamps.marks()).isOne();
    assertThat(stamps.stampOf(7)).isEqualTo(at(10));
  }

  @Test
  void onlyTheSystemClockIsMarkedAClockOfTheHostsIsReadForEachEvent() {
    assertThat(new AcceptanceStamps(Clock.systemUTC()).perEvent()).isFalse();
    assertThat(new AcceptanceStamps(clock).perEvent()).isTrue();
  }

  @Test
  void onTheSystemClockAnEventIsStampedNoLaterThanStreamReturnedAndAtMostAboutASecondEarlier()
      throws InterruptedException {
    try (DispatcherFixture f = DispatcherFixture.onTheSystemClock()) {
      Destination paused = destination("acme", "siem").build().toBuilder().paused("held for the test").build();
      f.start(paused);
      for (int round = 0; round < 3; round++) {
        // The last round comes after the router had time to fall asleep (its nap phase is 50 ms).
        if (round == 2) {
          Thread.sleep(200);
        }
        long before = System.currentTimeMillis();
        String id = f.streamAccepted("acme", 1).get(0);
        long after = System.currentTimeMillis();
        int queued = round + 1;
        assertThat(eventually(() -> f.dispatcher.status(paused.id()).pending() == queued)).isTrue();

        QueuedDelivery delivery = f.queue.lease(paused.id(), 100, Instant.MAX).stream()
            .filter(q -> q.eventId().equals(id)).findFirst().orElseThrow();
        f.queue.release(List.of(delivery));
        assertThat(delivery.enqueuedAt().toEpochMilli()).as("round %d", round)
            .isLessThanOrEqualTo(after)
            .isGreaterThanOrEqualTo(before - RouterWakeup.SLEEP_MILLIS - 100);
      }
    }
  }
}
