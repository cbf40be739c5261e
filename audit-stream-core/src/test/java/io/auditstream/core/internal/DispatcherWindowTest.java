package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.fixtures.ForwardingDeliveryQueue;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several deliveries of one destination in flight at once: the window, its failures, its timeouts. */
class DispatcherWindowTest {
  private static final Duration ANSWER_TIMEOUT = Duration.ofMillis(100);

  private final Destination d = destination("acme", "siem").build();
  private DispatcherFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private DispatcherFixture fixture(int maxInFlightPerDestination) {
    f = new DispatcherFixture(new DeliverySettings(maxInFlightPerDestination, 2, ANSWER_TIMEOUT));
    return f;
  }

  /** Answers each delivery after a random pause of up to two milliseconds, off the caller's thread. */
  private static CompletableFuture<Void> soon(List<EncodedEvent> batch) {
    long micros = ThreadLocalRandom.current().nextLong(100, 2000);
    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(micros, TimeUnit.MICROSECONDS));
  }

  /**
   * Streams {@code n} events while the destination is paused, so that they are all queued, and resumes it.
   * Returns their ids, in order.
   */
  private List<String> queueWhilePausedThenResume(int n) {
    return queueWhilePausedThenResume(n, new ArrayList<>());
  }

  /** As {@link #queueWhilePausedThenResume(int)}, adding the ids to {@code ids} before it resumes. */
  private List<String> queueWhilePausedThenResume(int n, List<String> ids) {
    Destination paused = d.toBuilder().paused("filling the queue").build();
    f.start(paused);
    for (int i = 0; i < n; i++) {
      AuditEvent e = groupEvent("acme");
      ids.add(e.id());
      assertThat(f.dispatcher.stream(e)).isTrue();
    }
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == n)).isTrue();
    f.save(paused.toBuilder().resumed().build());
    return ids;
  }

  @Test
  void aWindowOfSixteenHasSixteenDeliveriesInFlightAtOnceAndNeverMore() throws InterruptedException {
    fixture(16);
    Queue<CompletableFuture<Void>> held = new ConcurrentLinkedQueue<>();
    AtomicBoolean holding = new AtomicBoolean(true);
    f.sinks.answerAsync(d.id(), 16, batch -> {
      if (!holding.get()) {
        return soon(batch);
      }
      CompletableFuture<Void> answer = new CompletableFuture<>();
      held.add(answer);
      return answer;
    });

    List<String> ids = queueWhilePausedThenResume(64);

    assertThat(f.sinks.awaitAttempts(d.id(), 16)).isTrue();
    assertThat(f.sinks.inFlight(d.id())).isEqualTo(16);
    // The window is full: nothing more is sent until it landed.
    assertThat(f.sinks.attempts(d.id())).hasSize(16);
    holding.set(false);
    held.forEach(answer -> answer.complete(null));
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.maxConcurrency(d.id())).isEqualTo(16);
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).containsExactlyInAnyOrderElementsOf(ids);
    DestinationStatus status = f.dispatcher.status(d.id());
    assertThat(status.delivered()).isEqualTo(64);
    assertThat(status.pending()).isZero();
    assertThat(f.dispatcher.stats().delivered()).isEqualTo(64);
  }

  @Test
  void aDeliveryStartsAsSoonAsAnotherLandsWithoutWaitingForTheSlowestInFlight() {
    // Long enough for the slowest not to time out while the others are delivered.
    f = new DispatcherFixture(new DeliverySettings(16, 2, Duration.ofSeconds(30)));
    CompletableFuture<Void> slowest = new CompletableFuture<>();
    AtomicBoolean first = new AtomicBoolean(true);
    f.sinks.answerAsync(d.id(), 16, batch -> first.getAndSet(false) ? slowest : soon(batch));

    List<String> ids = queueWhilePausedThenResume(64);

    // All but the first are delivered while the first is still unanswered: its place alone stays taken.
    assertThat(eventually(() -> f.sinks.delivered(d.id()).size() == 63)).isTrue();
    assertThat(f.sinks.inFlight(d.id())).isOne();
    slowest.complete(null);
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(f.dispatcher.status(d.id()).delivered()).isEqualTo(64);
  }

  @Test
  void anEmptyWindowIsFilledWithTwoQueueCallsWhateverItsSize() throws InterruptedException {
    AtomicInteger leases = new AtomicInteger();
    DeliveryQueue counting = new ForwardingDeliveryQueue(new InMemoryDeliveryQueue(1000)) {
      @Override
      public List<QueuedDelivery> lease(DestinationId destination, int max, Instant now) {
        leases.incrementAndGet();
        return super.lease(destination, max, now);
      }
    };
    f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES, counting, 1000, Duration.ZERO,
        new DeliverySettings(16, 2, ANSWER_TIMEOUT));
    CompletableFuture<Void> release = new CompletableFuture<>();
    f.sinks.answerAsync(d.id(), 16, batch -> release.thenCompose(v -> soon(batch)));

    List<String> ids = queueWhilePausedThenResume(64);

    assertThat(f.sinks.awaitAttempts(d.id(), 16)).isTrue();
    // The oldest delivery, then the fifteen behind it in one call: a durable queue's transaction each.
    assertThat(leases.get()).isEqualTo(2);
    release.complete(null);
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void aWindowOfOneKeepsStrictOrderEvenForASinkThatAllowsMore() {
    fixture(1);
    f.sinks.answerAsync(d.id(), 16, DispatcherWindowTest::soon);
    f.start(d);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      AuditEvent e = groupEvent("acme");
      ids.add(e.id());
      assertThat(f.dispatcher.stream(e)).isTrue();
    }

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).containsExactlyElementsOf(ids);
    assertThat(f.sinks.maxConcurrency(d.id())).isOne();
  }

  @Test
  void aSinkThatAllowsOneInFlightGetsOneAtATimeInOrder() {
    fixture(16);
    f.sinks.answerAsync(d.id(), 1, DispatcherWindowTest::soon);

    List<String> ids = queueWhilePausedThenResume(30);

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).containsExactlyElementsOf(ids);
    assertThat(f.sinks.maxConcurrency(d.id())).isOne();
  }

  @Test
  void aFailureInsideAWindowIsRetriedAloneWhileTheOthersAreDeliveredThenTheWindowOpensAgain() throws Exception {
    fixture(16);
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.sinks.answerAsync(d.id(), 16, batch -> {
      String id = batch.get(0).event().id();
      if (id.equals(ids.get(5)) && failedOnce.add(id)) {
        return CompletableFuture.failedFuture(DeliveryException.retryable("HTTP 503"));
      }
      return soon(batch);
    });
    // The probe waits until the test lets it go.
    f.scheduler.hold();

    queueWhilePausedThenResume(16, ids);

    assertThat(eventually(() -> f.scheduler.heldCount() == 1)).isTrue();
    DestinationStatus failing = f.dispatcher.status(d.id());
    assertThat(failing.delivered()).isEqualTo(15);
    assertThat(failing.pending()).isOne();
    // Attempts sent before the failure may land after it: their successes count, the probe still comes.
    assertThat(failing.failed()).isZero();
    assertThat(failing.lastError()).contains("HTTP 503");
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).doesNotContain(ids.get(5));
    // Newer events wait behind the probe.
    List<String> later = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      AuditEvent e = groupEvent("acme");
      later.add(e.id());
      assertThat(f.dispatcher.stream(e)).isTrue();
    }
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 21)).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(16);

    f.scheduler.runHeld();

    assertThat(f.flush()).isTrue();
    List<List<EncodedEvent>> attempts = f.sinks.attempts(d.id());
    assertThat(attempts).hasSize(16 + 1 + 20);
    // The probe: the failed event alone, nothing else in flight.
    assertThat(attempts.get(16)).extracting(e -> e.event().id()).containsExactly(ids.get(5));
    assertThat(f.sinks.concurrencyAtStart(d.id()).get(16)).isOne();
    assertThat(f.sinks.delivered(d.id())).hasSize(36);
    DestinationStatus recovered = f.dispatcher.status(d.id());
    assertThat(recovered.delivered()).isEqualTo(36);
    assertThat(recovered.consecutiveFailures()).isZero();
    assertThat(recovered.failed()).isZero();
    assertThat(f.scheduler.delays).hasSize(1);
    assertThat(f.queue.deadLetterCount(d.id())).isZero();
  }

  @Test
  void aRefusedBatchInsideAWindowIsSplitAndOnlyItsBadEventBecomesADeadLetter() {
    fixture(16);
    List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.sinks.batchSize(d.id(), 4);
    f.sinks.answerAsync(d.id(), 16, batch -> {
      boolean bad = batch.stream().anyMatch(e -> e.event().id().equals(ids.get(9)));
      return bad ? CompletableFuture.failedFuture(DeliveryException.permanent("HTTP 413")) : soon(batch);
    });

    queueWhilePausedThenResume(16, ids);

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id())
        .containsExactlyInAnyOrderElementsOf(ids.stream().filter(id -> !id.equals(ids.get(9))).toList());
    assertThat(f.dispatcher.deadLetters(d.id(), 10)).singleElement()
        .satisfies(dead -> assertThat(dead.event().event().id()).isEqualTo(ids.get(9)));
    assertThat(f.dispatcher.status(d.id()).delivered()).isEqualTo(15);
    assertThat(f.dispatcher.status(d.id()).failed()).isOne();
  }

  @Test
  void aDeliveryThatIsNeverAnsweredTimesOutAndIsRetried() {
    fixture(16);
    AtomicBoolean first = new AtomicBoolean(true);
    f.sinks.answerAsync(d.id(), 16,
        batch -> first.getAndSet(false) ? new CompletableFuture<>() : CompletableFuture.completedFuture(null));
    f.start(d);

    AuditEvent e = groupEvent("acme");
    f.dispatcher.stream(e);

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(2);
    assertThat(f.sinks.delivered(d.id())).extracting(x -> x.event().id()).containsExactly(e.id());
    DestinationStatus status = f.dispatcher.status(d.id());
    assertThat(status.delivered()).isOne();
    assertThat(status.lastError()).hasValueSatisfying(error -> assertThat(error).startsWith("no answer within"));
    assertThat(f.scheduler.delays).hasSize(1);
  }

  @Test
  void aSinkOfOneInFlightGetsNoSecondDeliveryWhileItsFirstIsUnansweredEvenAfterTheTimeout() {
    fixture(16);
    CompletableFuture<Void> late = new CompletableFuture<>();
    AtomicBoolean first = new AtomicBoolean(true);
    f.sinks.answerAsync(d.id(), 1,
        batch -> first.getAndSet(false) ? late : CompletableFuture.completedFuture(null));
    f.start(d);
    f.dispatcher.stream(groupEvent("acme"));

    // Timed out, then retried on the schedule without reaching the sink: its only place is taken.
    assertThat(eventually(() -> f.dispatcher.status(d.id()).lastError()
        .filter(error -> error.contains("still unanswered")).isPresent())).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(1);
    assertThat(f.sinks.maxConcurrency(d.id())).isOne();

    late.completeExceptionally(DeliveryException.retryable("HTTP 504"));

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(2);
    assertThat(f.sinks.maxConcurrency(d.id())).isOne();
    assertThat(f.dispatcher.status(d.id()).delivered()).isOne();
  }
}
