package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.core.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic pauses after sustained failure, on the engine's clock: a failing probe every 6 hours, and
 * destinations paused after a day of failures.
 */
class DispatcherAutoPauseTest {
  /** A probe every 6 hours, three days of age: nothing ages out within these tests. */
  private static final RetryPolicy SIX_HOURLY = RetryPolicy.builder().schedule(Duration.ofHours(6))
      .maxAge(Duration.ofDays(3)).jitter(false).build();
  private static final Duration DAY = Duration.ofDays(1);
  private static final String REASON = "paused automatically after failing for 1 day: HTTP 503";

  private DispatcherFixture f = new DispatcherFixture(SIX_HOURLY, DAY);
  private final Destination d = destination("acme", "siem").build();
  private final AtomicBoolean failing = new AtomicBoolean(true);

  @AfterEach
  void close() {
    f.close();
  }

  private void start() {
    f.sinks.behave(d.id(), batch -> {
      if (failing.get()) {
        throw DeliveryException.retryable("HTTP 503");
      }
    });
    f.scheduler.hold();
    f.start(d);
  }

  /** Six hours later the probe is due: runs it, and waits until the lane has acted on its failure. */
  private void probeAgainAfterSixHours() {
    int waits = f.scheduler.delays.size();
    f.clock.advance(Duration.ofHours(6));
    f.scheduler.runHeld();
    assertThat(eventually(() -> f.scheduler.delays.size() == waits + 1)).isTrue();
  }

  private boolean storedPaused() {
    return f.store.find(d.id()).orElseThrow().paused();
  }

  @Test
  void pausesADestinationWhoseOldestDeliveryKeptFailingForTheConfiguredTimeAndNotBefore() {
    start();
    AuditEvent e = groupEvent("acme");
    f.dispatcher.stream(e);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();

    for (int hours = 6; hours <= 18; hours += 6) {
      probeAgainAfterSixHours();
      assertThat(f.pauses).as("after %d hours", hours).isEmpty();
      assertThat(storedPaused()).isFalse();
    }
    probeAgainAfterSixHours();

    assertThat(f.pauses).containsExactly(REASON);
    assertThat(f.listener.pauses).containsExactly(d.id() + ": " + REASON);
    assertThat(f.store.find(d.id()).orElseThrow().pausedReason()).contains(REASON);
    assertThat(f.dispatcher.status(d.id()).pausedReason()).contains(REASON);
    assertThat(f.dispatcher.status(d.id()).pending()).isOne();
    assertThat(f.sinks.attempts(d.id())).hasSize(5);
    assertThat(f.listener.deadLetters).isEmpty();

    // Paused: the event stays in its backlog, and new ones join it.
    AuditEvent later = groupEvent("acme/later");
    f.dispatcher.stream(later);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 2)).isTrue();
    assertThat(f.flush()).isTrue();

    failing.set(false);
    f.clock.advance(Duration.ofHours(6));
    f.save(f.store.find(d.id()).orElseThrow().toBuilder().resumed().build());
    f.scheduler.runHeld();

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(x -> x.event().id()).containsExactly(e.id(), later.id());
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    start();
    f.dispatcher.stream(groupEvent("acme/first"));
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    probeAgainAfterSixHours();
    // Twelve hours in, the receiver is back for a while.
    failing.set(false);
    f.clock.advance(Duration.ofHours(6));
    f.scheduler.runHeld();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).hasSize(1);

    // Thirteen hours in, it fails again: a day of failures counts from now.
    f.clock.advance(Duration.ofHours(1));
    failing.set(true);
    f.dispatcher.stream(groupEvent("acme/second"));
    assertThat(eventually(() -> f.scheduler.delays.size() == 3)).isTrue();
    for (int hours = 19; hours <= 31; hours += 6) {
      probeAgainAfterSixHours();
      assertThat(f.pauses).as("%d hours after the first failure", hours).isEmpty();
    }
    probeAgainAfterSixHours();

    assertThat(f.pauses).containsExactly(REASON);
    assertThat(storedPaused()).isTrue();
  }

  @Test
  void aResumedDestinationGetsTheWholeTimeAgainBeforeItIsPausedAgain() {
    start();
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    for (int i = 0; i < 4; i++) {
      probeAgainAfterSixHours();
    }
    assertThat(f.pauses).hasSize(1);

    // An Owner resumes it at once; the receiver still fails: a day counts from the next failure, at 30 hours.
    f.save(f.store.find(d.id()).orElseThrow().toBuilder().resumed().build());
    for (int hours = 30; hours <= 48; hours += 6) {
      probeAgainAfterSixHours();
      assertThat(f.pauses).as("after %d hours", hours).hasSize(1);
      assertThat(storedPaused()).isFalse();
    }
    probeAgainAfterSixHours();

    assertThat(f.pauses).hasSize(2);
    assertThat(f.listener.pauses).hasSize(2);
  }

  @Test
  void aStoreThatFailsToSaveThePauseIsTriedAgainAtTheNextFailure() {
    f.failNextPauses.set(1);
    start();
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    for (int i = 0; i < 4; i++) {
      probeAgainAfterSixHours();
    }
    assertThat(f.pauses).isEmpty();
    assertThat(f.listener.pauses).isEmpty();

    probeAgainAfterSixHours();

    assertThat(f.pauses).containsExactly(REASON);
    assertThat(f.listener.pauses).hasSize(1);
  }

  @Test
  void failuresForGoodNeverPauseADestination() {
    f.sinks.behave(d.id(), batch -> {
      throw DeliveryException.permanent("HTTP 422");
    });
    f.start(d);
    for (int i = 0; i < 5; i++) {
      f.dispatcher.stream(groupEvent("acme/" + i));
      assertThat(f.flush()).isTrue();
      f.clock.advance(Duration.ofHours(8));
    }

    assertThat(f.listener.deadLetters).hasSize(5);
    assertThat(f.pauses).isEmpty();
    assertThat(storedPaused()).isFalse();
  }

  @Test
  void automaticPausesAreOffWithoutAutoPauseAfter() {
    f.close();
    f = new DispatcherFixture(SIX_HOURLY, Duration.ZERO);
    start();
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();

    for (int i = 0; i < 8; i++) {
      probeAgainAfterSixHours();
    }

    assertThat(f.sinks.attempts(d.id())).hasSize(9);
    assertThat(f.pauses).isEmpty();
    assertThat(f.listener.pauses).isEmpty();
    assertThat(storedPaused()).isFalse();
  }
}
