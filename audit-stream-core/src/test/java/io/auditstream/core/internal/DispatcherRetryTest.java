package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherRetryTest {
  private DispatcherFixture f = new DispatcherFixture();
  private final Destination d = destination("acme", "siem").build();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void retriesRetryableFailuresWithTheSameIdAndBytesUntilSuccess() {
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(2, DeliveryException.retryable("HTTP 503")));
    f.start(d);
    AuditEvent e = groupEvent("acme");

    f.dispatcher.stream(e);
    assertThat(f.flush()).isTrue();

    List<List<EncodedEvent>> attempts = f.sinks.attempts(d.id());
    assertThat(attempts).hasSize(3).allSatisfy(batch -> assertThat(batch).singleElement().satisfies(x -> {
      assertThat(x.event().id()).isEqualTo(e.id());
      assertThat(x.json()).isEqualTo(attempts.get(0).get(0).json());
    }));
    assertThat(attempts.get(0).get(0).json()).isSameAs(attempts.get(2).get(0).json());
    DestinationStatus s = f.dispatcher.status(d.id());
    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.failed()).isZero();
    assertThat(s.pending()).isZero();
    assertThat(s.consecutiveFailures()).isZero();
    assertThat(s.lastSuccessAt()).isPresent();
    assertThat(s.lastFailureAt()).isPresent();
    assertThat(s.lastError()).contains("HTTP 503");
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  @Test
  void runtimeExceptionFromSinkIsRetried() {
    AtomicInteger calls = new AtomicInteger();
    f.sinks.behave(d.id(), batch -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("connection reset");
      }
    });
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.attempts(d.id())).hasSize(2);
    assertThat(f.sinks.delivered(d.id())).hasSize(1);
  }

  @Test
  void permanentFailureIsNotRetriedAndCountsAsFailed() {
    f.sinks.behave(d.id(), batch -> {
      throw DeliveryException.permanent("HTTP 400 Bad Request");
    });
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.attempts(d.id())).hasSize(1);
    assertThat(f.scheduler.delays).isEmpty();
    DestinationStatus s = f.dispatcher.status(d.id());
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.delivered()).isZero();
    assertThat(s.pending()).isZero();
    assertThat(s.consecutiveFailures()).isEqualTo(1);
    assertThat(s.healthy()).isFalse();
    assertThat(s.lastError()).contains("HTTP 400 Bad Request");
    assertThat(s.deadLetters()).isOne();
    assertThat(f.dispatcher.deadLetters(d.id(), 10)).singleElement().satisfies(dl -> {
      assertThat(dl.reason()).isEqualTo("refused for good after 1 attempt: HTTP 400 Bad Request");
      assertThat(dl.attempts()).isOne();
    });
    assertThat(f.listener.deadLetters).hasSize(1);
    assertThat(f.dispatcher.stats().deadLettered()).isOne();
  }

  @Test
  void agesOutADeliveryPastItsMaxAgeAndGoesOnWithTheNextEvent() {
    f.close();
    // 10 ms steps, 25 ms of age: attempts at 0, 10 and 20 ms; the next, at 30 ms, would be too late.
    f = new DispatcherFixture(RetryPolicy.builder().schedule(Duration.ofMillis(10)).maxAge(Duration.ofMillis(25))
        .jitter(false).build());
    AtomicInteger calls = new AtomicInteger();
    f.sinks.behave(d.id(), batch -> {
      if (batch.get(0).event().eventType().equals("doomed")) {
        calls.incrementAndGet();
        throw DeliveryException.retryable("HTTP 500");
      }
    });
    f.start(d);

    AuditEvent doomed = AuditEvent.builder().eventType("doomed").entity(io.auditstream.api.EntityType.GROUP, 1L, "acme")
        .build();
    f.dispatcher.stream(doomed);
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(calls).hasValue(3);
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().eventType()).containsExactly("user_created");
    DestinationStatus s = f.dispatcher.status(d.id());
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.deadLetters()).isEqualTo(1);
    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.consecutiveFailures()).isZero();
    assertThat(f.listener.deadLetters).singleElement().satisfies(dl -> {
      assertThat(dl.eventId()).isEqualTo(doomed.id());
      assertThat(dl.reason()).isEqualTo("aged out after 3 attempts: HTTP 500");
      assertThat(dl.attempts()).isEqualTo(3);
      assertThat(dl.enqueuedAt()).isEqualTo(DispatcherFixture.START);
      assertThat(dl.deadAt()).isEqualTo(DispatcherFixture.START.plusMillis(20));
    });
  }

  @Test
  void retryAfterAboveTheLongestStepIsCappedAtIt() {
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(1, DeliveryException.retryableAfter("HTTP 429", Duration.ofSeconds(7))));
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    // The schedule's own wait is 1 ms and the receiver asked for 7 s, but the fixture's longest step
    // is 50 ms: a receiver may not stall a destination for longer than the schedule would.
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMillis(50));
    assertThat(f.sinks.delivered(d.id())).hasSize(1);
  }

  @Test
  void honoursRetryAfterFromTheReceiver() {
    f.close();
    f = new DispatcherFixture(RetryPolicy.builder().schedule(Duration.ofMillis(1), Duration.ofSeconds(30))
        .jitter(false).build());
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(1, DeliveryException.retryableAfter("HTTP 429", Duration.ofSeconds(7))));
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.scheduler.delays).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void aDestinationThatIsDownIsProbedOnTheScheduleWithItsOldestEventAloneThenDrainsBackToBack() {
    f.close();
    f = new DispatcherFixture(RetryPolicy.builder().schedule(Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(4), Duration.ofSeconds(2)).maxAge(Duration.ofHours(1)).jitter(false).build());
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(7, DeliveryException.retryable("HTTP 502")));
    f.start(d);
    List<AuditEvent> events = List.of(groupEvent("acme/0"), groupEvent("acme/1"), groupEvent("acme/2"));

    events.forEach(f.dispatcher::stream);
    assertThat(f.flush()).isTrue();

    // The seven failed attempts and the eighth, which succeeded, were all of the oldest event; the others
    // waited behind it, then followed with no wait at all.
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    List<String> attempted = f.sinks.attempts(d.id()).stream().map(b -> b.get(0).event().entityPath()).toList();
    assertThat(attempted.subList(0, 8)).containsOnly("acme/0");
    assertThat(attempted.subList(8, attempted.size())).containsExactly("acme/1", "acme/2");
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id())
        .containsExactlyElementsOf(events.stream().map(AuditEvent::id).toList());
    assertThat(f.dispatcher.status(d.id()).healthy()).isTrue();
  }

  @Test
  void aFailedBatchIsProbedAsItWasAndTheBacklogFollowsOnceItSucceeds() {
    f.sinks.batchSize(d.id(), 10);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    f.sinks.behave(d.id(), batch -> {
      int call = calls.incrementAndGet();
      if (call == 1) {
        try {
          gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (call <= 3) {
        throw DeliveryException.retryable("HTTP 503");
      }
    });
    f.scheduler.hold();
    f.start(d);
    f.dispatcher.stream(groupEvent("acme/first"));
    assertThat(DispatcherFixture.eventually(() -> f.sinks.attempts(d.id()).size() == 1)).isTrue();
    for (int i = 0; i < 15; i++) {
      f.dispatcher.stream(groupEvent("acme/g" + i));
    }
    assertThat(DispatcherFixture.eventually(() -> f.dispatcher.status(d.id()).pending() == 16)).isTrue();
    gate.countDown();

    // The first attempt (one event) failed: only it is due again, the fifteen behind wait.
    assertThat(DispatcherFixture.eventually(() -> f.scheduler.delays.size() == 1)).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(1);
    f.scheduler.runHeld();
    // The probe is the failed batch as it was (the one event, so the same batch id), though fifteen wait
    // behind it; it fails twice more, and is probed again alone.
    assertThat(DispatcherFixture.eventually(() -> f.scheduler.delays.size() == 2)).isTrue();
    f.scheduler.runHeld();
    assertThat(DispatcherFixture.eventually(() -> f.scheduler.delays.size() == 3)).isTrue();
    f.scheduler.runHeld();
    assertThat(f.flush()).isTrue();

    List<List<EncodedEvent>> attempts = f.sinks.attempts(d.id());
    assertThat(attempts.subList(0, 4)).allSatisfy(a -> assertThat(a).isEqualTo(attempts.get(0)));
    assertThat(attempts.get(0)).singleElement().satisfies(e -> assertThat(e.event().entityPath()).isEqualTo("acme/first"));
    // Then the backlog, in batches of at most ten.
    List<List<EncodedEvent>> backlog = attempts.subList(4, attempts.size());
    assertThat(backlog).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 10));
    assertThat(backlog.stream().mapToInt(List::size).sum()).isEqualTo(15);
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4));
    assertThat(f.sinks.delivered(d.id())).hasSize(16);
  }

  @Test
  void permanentFailuresMakeEachEventADeadLetterAtOnceWithoutDelayingTheNext() {
    f.sinks.behave(d.id(), batch -> {
      throw DeliveryException.permanent("HTTP 403");
    });
    f.start(d);

    for (int i = 0; i < 6; i++) {
      f.dispatcher.stream(groupEvent("acme"));
    }
    assertThat(f.flush()).isTrue();

    DestinationStatus s = f.dispatcher.status(d.id());
    assertThat(s.failed()).isEqualTo(6);
    assertThat(s.deadLetters()).isEqualTo(6);
    assertThat(s.consecutiveFailures()).isEqualTo(6);
    assertThat(f.sinks.attempts(d.id())).hasSize(6);
    assertThat(f.scheduler.delays).isEmpty();
  }

  @Test
  void missingSinkFailsTheEventsAndReportsTheArtifact() {
    Destination unknown = destination("acme", "gcp").config(TestConfig.of("nokind", "q")).build();
    f.start(unknown);

    f.dispatcher.stream(groupEvent("acme"));
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    DestinationStatus s = f.dispatcher.status(unknown.id());
    assertThat(s.failed()).isEqualTo(2);
    assertThat(s.pending()).isZero();
    assertThat(s.lastError()).hasValueSatisfying(m -> assertThat(m).contains("no sink for kind 'nokind'"));
    assertThat(s.deadLetters()).isEqualTo(2);
    assertThat(f.dispatcher.deadLetters(unknown.id(), 10)).allSatisfy(dl ->
        assertThat(dl.reason()).startsWith("cannot be delivered: no sink for kind 'nokind'"));
  }

  @Test
  void batchesUpToTheSinksMaxBatchSizeOldestFirst() {
    streamFiveEventsAsOneBatch(batch -> {});

    assertThat(f.sinks.attempts(d.id())).hasSize(2);
    assertThat(f.sinks.attempts(d.id()).get(1)).extracting(e -> e.event().entityPath())
        .containsExactly("acme/g0", "acme/g1", "acme/g2", "acme/g3", "acme/g4");
  }

  @Test
  void aBatchRefusedForGoodIsRetriedOneEventAtATimeSoOnlyTheRefusedEventIsLost() {
    streamFiveEventsAsOneBatch(batch -> {
      if (batch.stream().anyMatch(e -> e.event().entityPath().equals("acme/g2"))) {
        throw DeliveryException.permanent("entry too large");
      }
    });
    f.dispatcher.stream(groupEvent("acme/after"));
    assertThat(f.flush()).isTrue();

    List<List<EncodedEvent>> attempts = f.sinks.attempts(d.id());
    assertThat(attempts.get(1)).hasSize(5);
    assertThat(attempts.subList(2, attempts.size())).allSatisfy(batch -> assertThat(batch).hasSize(1));
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().entityPath())
        .containsExactly("acme/first", "acme/g0", "acme/g1", "acme/g3", "acme/g4", "acme/after");
    DestinationStatus s = f.dispatcher.status(d.id());
    assertThat(s.delivered()).isEqualTo(6);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.pending()).isZero();
    assertThat(s.lastError()).contains("entry too large");
    assertThat(f.dispatcher.deadLetters(d.id(), 10)).singleElement()
        .satisfies(dl -> assertThat(dl.event().event().entityPath()).isEqualTo("acme/g2"));
  }

  /**
   * Streams {@code acme/first}, holds its attempt until {@code acme/g0} to {@code acme/g4} are queued,
   * so that they reach the sink (batches of up to 10) as one batch, then flushes. Every attempt,
   * the held one included, then does what {@code behaviour} says.
   */
  private void streamFiveEventsAsOneBatch(TestSinkProvider.Behaviour behaviour) {
    f.sinks.batchSize(d.id(), 10);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    f.sinks.behave(d.id(), batch -> {
      if (calls.incrementAndGet() == 1) {
        try {
          gate.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      behaviour.deliver(batch);
    });
    f.start(d);

    f.dispatcher.stream(groupEvent("acme/first"));
    assertThat(DispatcherFixture.eventually(() -> f.sinks.attempts(d.id()).size() == 1)).isTrue();
    for (int i = 0; i < 5; i++) {
      f.dispatcher.stream(groupEvent("acme/g" + i));
    }
    assertThat(DispatcherFixture.eventually(() -> f.dispatcher.status(d.id()).pending() == 6)).isTrue();
    gate.countDown();
    assertThat(f.flush()).isTrue();
  }
}
