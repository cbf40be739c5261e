package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.FAST_RETRIES;
import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Paused destinations: routed to, holding back their backlog, aging it out, replaying it when resumed. */
class DispatcherPauseTest {
  private DispatcherFixture f = new DispatcherFixture();
  private final Destination d = destination("acme", "siem").build();
  private final Destination paused = d.toBuilder().paused("receiver under maintenance").build();

  @AfterEach
  void close() {
    f.close();
  }

  private List<AuditEvent> streamEvents(int n) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AuditEvent e = groupEvent("acme/p" + i);
      events.add(e);
      assertThat(f.dispatcher.stream(e)).isTrue();
    }
    return events;
  }

  private List<String> deliveredIds() {
    return f.sinks.delivered(d.id()).stream().map(e -> e.event().id()).toList();
  }

  @Test
  void aPausedDestinationKeepsGettingEventsButDeliversNoneUntilResumedThenReplaysThemAllInOrder() {
    f.start(d);
    AuditEvent before = groupEvent("acme/before");
    f.dispatcher.stream(before);
    assertThat(f.flush()).isTrue();
    f.save(paused);

    List<AuditEvent> held = streamEvents(20);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 20)).isTrue();
    AuditEvent direct = groupEvent("acme/direct");
    assertThat(f.dispatcher.enqueueDirect(paused, direct)).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isEqualTo(21);

    // Flush does not wait for a destination that holds back its backlog, and nothing was attempted.
    assertThat(f.flush()).isTrue();
    assertThat(deliveredIds()).containsExactly(before.id());
    assertThat(f.sinks.attempts(d.id())).hasSize(1);
    assertThat(f.dispatcher.status(d.id()).pausedReason()).contains("receiver under maintenance");
    assertThat(f.dispatcher.stats().dropped()).isZero();

    f.save(paused.toBuilder().resumed().build());

    assertThat(f.flush()).isTrue();
    List<String> expected = new ArrayList<>();
    expected.add(before.id());
    held.forEach(e -> expected.add(e.id()));
    expected.add(direct.id());
    assertThat(deliveredIds()).containsExactlyElementsOf(expected);
    assertThat(f.dispatcher.status(d.id()).pending()).isZero();
    assertThat(f.dispatcher.status(d.id()).pausedReason()).isEmpty();
    // Full speed: the backlog followed back to back, no retry was scheduled.
    assertThat(f.scheduler.delays).isEmpty();
  }

  @Test
  void aPausedDestinationsBacklogStopsAtItsBoundAndWhatComesAfterIsDroppedCountedAndReported() {
    f.close();
    f = new DispatcherFixture(FAST_RETRIES,
        InMemoryDeliveryQueue.builder().maxEventsPerDestination(5).maxDeliveries(1000).build(), 1000);
    f.start(paused);

    List<AuditEvent> events = streamEvents(8);

    assertThat(f.flush()).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isEqualTo(5);
    assertThat(f.dispatcher.status(d.id()).dropped()).isEqualTo(3);
    assertThat(f.listener.dropsFor(d.id())).extracting(RecordingListener.Drop::eventId)
        .containsExactly(events.get(5).id(), events.get(6).id(), events.get(7).id());
    assertThat(f.listener.dropsFor(d.id())).extracting(RecordingListener.Drop::reason)
        .containsOnly("destination backlog full");
    assertThat(f.sinks.attempts(d.id())).isEmpty();

    f.save(d);

    assertThat(f.flush()).isTrue();
    assertThat(deliveredIds()).containsExactly(events.subList(0, 5).stream().map(AuditEvent::id)
        .toArray(String[]::new));
  }

  @Test
  void aPausedDestinationsBacklogAgesOutIntoDeadLettersThatCanBeRedelivered() {
    f.start(paused);
    List<AuditEvent> events = streamEvents(2);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 2)).isTrue();
    f.clock.advance(Duration.ofHours(2));

    f.dispatcher.sweepAgedDeliveries();

    assertThat(eventually(() -> f.dispatcher.status(d.id()).deadLetters() == 2)).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isZero();
    assertThat(f.listener.deadLetters).extracting(DeadLetter::reason)
        .containsOnly("aged out after 0 attempts: never attempted");
    assertThat(f.sinks.attempts(d.id())).isEmpty();

    // Redelivered while paused: queued again, still held back.
    assertThat(f.dispatcher.redeliver(d.id(), events.stream().map(AuditEvent::id).toList())).isEqualTo(2);
    assertThat(f.flush()).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isEqualTo(2);
    assertThat(f.sinks.attempts(d.id())).isEmpty();

    f.save(d);

    assertThat(f.flush()).isTrue();
    assertThat(deliveredIds()).containsExactly(events.get(0).id(), events.get(1).id());
    assertThat(f.dispatcher.status(d.id()).deadLetters()).isZero();
  }

  @Test
  void pausingADestinationWhoseProbeIsScheduledHoldsItBackAndResumingProbesItAtItsTime() {
    f.close();
    f = new DispatcherFixture(FAST_RETRIES);
    AtomicBoolean failing = new AtomicBoolean(true);
    f.sinks.behave(d.id(), batch -> {
      if (failing.get()) {
        throw DeliveryException.retryable("HTTP 503");
      }
    });
    f.scheduler.hold();
    f.start(d);
    List<AuditEvent> events = streamEvents(3);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();

    f.save(paused);
    f.scheduler.runHeld();

    // The probe's time came while paused: nothing attempted, no new wait.
    assertThat(eventually(() -> f.scheduler.heldCount() == 0)).isTrue();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(1);
    assertThat(f.scheduler.delays).hasSize(1);

    failing.set(false);
    f.clock.advance(Duration.ofSeconds(1));
    f.save(d);

    assertThat(f.flush()).isTrue();
    assertThat(deliveredIds()).containsExactly(events.stream().map(AuditEvent::id).toArray(String[]::new));
    // One failed probe, then the three events: nothing was attempted while paused.
    assertThat(f.sinks.attempts(d.id())).hasSize(4);
    assertThat(f.scheduler.delays).hasSize(1);
  }
}
