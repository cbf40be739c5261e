package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.START;
import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.fixtures.ForwardingDeliveryQueue;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries that grow too old, and schedules that outlive the engine. */
class DispatcherAgingTest {
  /** Probes 50 minutes apart, then 10; an hour of age. */
  private static final RetryPolicy SLOW = RetryPolicy.builder().schedule(Duration.ofMinutes(50), Duration.ofMinutes(10))
      .maxAge(Duration.ofHours(1)).jitter(false).build();
  /** As {@link #SLOW}, with two hours of age. */
  private static final RetryPolicy SLOW_LONG_LIVED = RetryPolicy.builder()
      .schedule(Duration.ofMinutes(50), Duration.ofMinutes(10)).maxAge(Duration.ofHours(2)).jitter(false).build();

  private DispatcherFixture f = new DispatcherFixture();
  private final Destination d = destination("acme", "siem").build();

  @AfterEach
  void close() {
    f.close();
  }

  private static TestSinkProvider.Behaviour failing() {
    return batch -> {
      throw DeliveryException.retryable("HTTP 503");
    };
  }

  private Map<String, String> reasonsById() {
    return f.listener.deadLetters.stream().collect(Collectors.toMap(DeadLetter::eventId, DeadLetter::reason));
  }

  @Test
  void aSweepAgesOutTheBacklogOfAnInactiveDestination() {
    f.start(d);
    Destination paused = d.toBuilder().active(false).build();
    f.dispatcher.destinationSaved(paused);
    AuditEvent first = groupEvent("acme/1");
    AuditEvent second = groupEvent("acme/2");
    AuditEvent young = groupEvent("acme/3");
    assertThat(f.dispatcher.enqueueDirect(paused, first)).isTrue();
    assertThat(f.dispatcher.enqueueDirect(paused, second)).isTrue();
    f.clock.advance(Duration.ofMinutes(30));
    assertThat(f.dispatcher.enqueueDirect(paused, young)).isTrue();
    f.clock.advance(Duration.ofMinutes(30));

    f.dispatcher.sweepAgedDeliveries();

    assertThat(eventually(() -> f.dispatcher.status(d.id()).deadLetters() == 2)).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isOne();
    assertThat(f.listener.deadLetters).hasSize(2);
    assertThat(reasonsById()).containsExactlyInAnyOrderEntriesOf(Map.of(
        first.id(), "aged out after 0 attempts: never attempted",
        second.id(), "aged out after 0 attempts: never attempted"));
    assertThat(f.sinks.attempts(d.id())).isEmpty();
    assertThat(f.dispatcher.stats().deadLettered()).isEqualTo(2);
  }

  @Test
  void aSweepAgesOutTheBacklogBehindAProbeThatKeepsFailing() {
    f.close();
    f = new DispatcherFixture(SLOW);
    f.sinks.behave(d.id(), failing());
    f.scheduler.hold();
    f.start(d);
    AuditEvent probe = groupEvent("acme/probe");
    f.dispatcher.stream(probe);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    AuditEvent behind = groupEvent("acme/behind");
    f.dispatcher.stream(behind);
    f.clock.advance(Duration.ofMinutes(55));
    AuditEvent young = groupEvent("acme/young");
    f.dispatcher.stream(young);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 3)).isTrue();
    // An hour on, the probe's next attempt (at 50 minutes) never came: the sweep does not wait for it.
    f.clock.advance(Duration.ofMinutes(6));

    f.dispatcher.sweepAgedDeliveries();

    assertThat(eventually(() -> f.dispatcher.status(d.id()).deadLetters() == 2)).isTrue();
    assertThat(reasonsById()).containsExactlyInAnyOrderEntriesOf(Map.of(
        probe.id(), "aged out after 1 attempt: HTTP 503",
        behind.id(), "aged out after 0 attempts: never attempted"));
    // The young one is the probe now, at once since the old probe's time has passed; it fails and waits.
    assertThat(eventually(() -> f.sinks.attempts(d.id()).size() == 2)).isTrue();
    assertThat(f.sinks.attempts(d.id()).get(1)).singleElement()
        .satisfies(e -> assertThat(e.event().id()).isEqualTo(young.id()));
    assertThat(eventually(() -> f.scheduler.delays.size() == 2)).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isOne();
  }

  @Test
  void aSweepWhileAProbeIsScheduledLeavesItScheduledForItsTime() {
    f.close();
    f = new DispatcherFixture(SLOW);
    f.sinks.behave(d.id(), failing());
    f.scheduler.hold();
    f.start(d);
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    f.clock.advance(Duration.ofMinutes(20));

    f.dispatcher.sweepAgedDeliveries();

    // Nothing aged; the lane waits again for the rest of the 50 minutes.
    assertThat(eventually(() -> f.scheduler.delays.size() == 2)).isTrue();
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMinutes(50), Duration.ofMinutes(30));
    assertThat(f.sinks.attempts(d.id())).hasSize(1);
    assertThat(f.listener.deadLetters).isEmpty();
  }

  @Test
  void deliveriesThatAgedOutWhileTheDestinationWasInactiveBecomeDeadLettersWhenLeasedNotAttempts() {
    f.start(d);
    Destination paused = d.toBuilder().active(false).build();
    f.dispatcher.destinationSaved(paused);
    AuditEvent old = groupEvent("acme");
    assertThat(f.dispatcher.enqueueDirect(paused, old)).isTrue();
    f.clock.advance(Duration.ofHours(2));

    f.dispatcher.destinationSaved(d);

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).isEmpty();
    assertThat(f.dispatcher.deadLetters(d.id(), 10)).singleElement().satisfies(dl -> {
      assertThat(dl.eventId()).isEqualTo(old.id());
      assertThat(dl.reason()).isEqualTo("aged out after 0 attempts: never attempted");
      assertThat(dl.deadAt()).isEqualTo(START.plus(Duration.ofHours(2)));
    });
  }

  @Test
  void aDurableQueueKeepsTheScheduleAndTheAttemptsAcrossARestart() {
    ForwardingDeliveryQueue durable = new ForwardingDeliveryQueue(new InMemoryDeliveryQueue(100));
    f.close();
    f = new DispatcherFixture(SLOW_LONG_LIVED, durable, 100);
    f.sinks.behave(d.id(), failing());
    f.scheduler.hold();
    f.start(d);
    AuditEvent e = groupEvent("acme");
    f.dispatcher.stream(e);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    f.dispatcher.close(Duration.ZERO);
    assertThat(durable.size(d.id())).isOne();

    // The next run starts 20 minutes later, on the same queue.
    f = new DispatcherFixture(SLOW_LONG_LIVED, durable, 100);
    f.clock.advance(Duration.ofMinutes(20));
    AtomicInteger calls = new AtomicInteger();
    f.sinks.behave(d.id(), batch -> {
      if (calls.incrementAndGet() == 1) {
        throw DeliveryException.retryable("HTTP 503");
      }
    });
    f.scheduler.hold();
    f.start(d);

    // It waits the 30 minutes left of the first wait, then (a second failed attempt) the second step.
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    assertThat(f.sinks.attempts(d.id())).isEmpty();
    f.scheduler.runHeld();
    assertThat(eventually(() -> f.scheduler.delays.size() == 2)).isTrue();
    f.scheduler.runHeld();
    assertThat(f.flush()).isTrue();

    assertThat(f.scheduler.delays).containsExactly(Duration.ofMinutes(30), Duration.ofMinutes(10));
    assertThat(f.sinks.delivered(d.id())).singleElement().satisfies(x -> assertThat(x.event().id()).isEqualTo(e.id()));
    assertThat(f.sinks.attempts(d.id())).hasSize(2);
  }

  @Test
  void afterARestartTheDeliveryWaitingForItsRetryStillGoesBeforeTheNewerOnes() {
    ForwardingDeliveryQueue durable = new ForwardingDeliveryQueue(new InMemoryDeliveryQueue(100));
    f.close();
    f = new DispatcherFixture(SLOW_LONG_LIVED, durable, 100);
    f.sinks.behave(d.id(), failing());
    f.scheduler.hold();
    f.start(d);
    AuditEvent first = groupEvent("acme/1");
    f.dispatcher.stream(first);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    AuditEvent second = groupEvent("acme/2");
    AuditEvent third = groupEvent("acme/3");
    f.dispatcher.stream(second);
    f.dispatcher.stream(third);
    assertThat(eventually(() -> durable.size(d.id()) == 3)).isTrue();
    f.dispatcher.close(Duration.ZERO);

    // The next run starts 20 minutes later, on the same queue: the first is due in 30 minutes, the others now.
    f = new DispatcherFixture(SLOW_LONG_LIVED, durable, 100);
    f.clock.advance(Duration.ofMinutes(20));
    f.scheduler.hold();
    f.start(d);

    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMinutes(30));
    assertThat(f.sinks.attempts(d.id())).as("nothing goes before the first").isEmpty();
    f.scheduler.runHeld();
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.delivered(d.id())).extracting(x -> x.event().id())
        .containsExactly(first.id(), second.id(), third.id());
  }

  @Test
  void aSweepAgesOutTheBacklogBehindAnOldestDeliveryThatIsNotDueYet() {
    // A first run waits 90 minutes between attempts and keeps deliveries two hours; the next keeps them one.
    RetryPolicy patient = RetryPolicy.builder().schedule(Duration.ofMinutes(90)).maxAge(Duration.ofHours(2))
        .jitter(false).build();
    ForwardingDeliveryQueue durable = new ForwardingDeliveryQueue(new InMemoryDeliveryQueue(100));
    f.close();
    f = new DispatcherFixture(patient, durable, 100);
    f.sinks.behave(d.id(), failing());
    f.scheduler.hold();
    f.start(d);
    AuditEvent head = groupEvent("acme/head");
    f.dispatcher.stream(head);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    AuditEvent behind = groupEvent("acme/behind");
    f.dispatcher.stream(behind);
    assertThat(eventually(() -> durable.size(d.id()) == 2)).isTrue();
    f.dispatcher.close(Duration.ZERO);

    f = new DispatcherFixture(SLOW, durable, 100);
    f.clock.advance(Duration.ofMinutes(61));
    f.sinks.behave(d.id(), failing());
    f.scheduler.hold();
    f.start(d);
    assertThat(eventually(() -> f.scheduler.delays.size() == 1)).isTrue();

    f.dispatcher.sweepAgedDeliveries();

    // The head is not due for another 29 minutes, but it and the one behind it are over an hour old.
    assertThat(eventually(() -> f.dispatcher.status(d.id()).deadLetters() == 2)).isTrue();
    assertThat(reasonsById()).containsExactlyInAnyOrderEntriesOf(Map.of(
        head.id(), "aged out after 1 attempt: HTTP 503",
        behind.id(), "aged out after 0 attempts: never attempted"));
    assertThat(durable.size(d.id())).isZero();
    assertThat(f.sinks.attempts(d.id())).isEmpty();
  }
}
