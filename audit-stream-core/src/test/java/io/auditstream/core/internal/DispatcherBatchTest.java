package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.AuditEventJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the engine cuts batches for a sink that takes several events per delivery. */
class DispatcherBatchTest {
  private final Destination d = destination("acme", "siem").build();
  private final DispatcherFixture f = new DispatcherFixture(new DeliverySettings(16, 2, Duration.ofSeconds(30)));

  @AfterEach
  void close() {
    f.close();
  }

  private static List<String> ids(List<EncodedEvent> batch) {
    return batch.stream().map(e -> e.event().id()).toList();
  }

  /** Streams {@code n} events while the destination is paused, so that they are all queued; their ids. */
  private List<String> queueWhilePaused(int n) {
    Destination paused = d.toBuilder().paused("filling the queue").build();
    f.start(paused);
    List<String> ids = f.streamAccepted("acme", n);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == n)).isTrue();
    return ids;
  }

  private void resume() {
    f.save(d.toBuilder().resumed().build());
  }

  @Test
  void aRetriedBatchCarriesExactlyTheEventsOfTheAttemptThatFailedEvenWhenMoreArePending() {
    f.sinks.batchSize(d.id(), 10);
    AtomicBoolean first = new AtomicBoolean(true);
    f.sinks.answerAsync(d.id(), 16, batch -> first.getAndSet(false)
        ? CompletableFuture.failedFuture(DeliveryException.retryable("HTTP 503"))
        : CompletableFuture.completedFuture(null));
    f.scheduler.hold();
    List<String> failed = queueWhilePaused(3);
    resume();
    assertThat(eventually(() -> f.scheduler.heldCount() == 1)).isTrue();

    // Queued behind the failed batch while it waits for its retry.
    List<String> later = f.streamAccepted("acme", 5);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 8)).isTrue();
    f.scheduler.runHeld();

    assertThat(f.flush()).isTrue();
    List<List<EncodedEvent>> attempts = f.sinks.attempts(d.id());
    assertThat(attempts).hasSize(3);
    assertThat(ids(attempts.get(0))).isEqualTo(failed);
    assertThat(ids(attempts.get(1))).as("the retry").isEqualTo(failed);
    assertThat(ids(attempts.get(2))).isEqualTo(later);
    assertThat(f.dispatcher.status(d.id()).delivered()).isEqualTo(8);
  }

  @Test
  void noDeliveryTakesMoreBytesThanTheSinkAllows() {
    f.sinks.batchSize(d.id(), 100);
    f.sinks.answerAsync(d.id(), 16, batch -> CompletableFuture.completedFuture(null));
    List<String> ids = queueWhilePaused(20);
    int one = AuditEventJson.encode(groupEvent("acme")).length;
    long bound = 3L * one + one / 2;
    f.sinks.batchBytes(d.id(), bound);
    resume();

    assertThat(f.flush()).isTrue();
    List<List<EncodedEvent>> attempts = f.sinks.attempts(d.id());
    assertThat(attempts).allSatisfy(batch -> {
      assertThat(batch.stream().mapToLong(e -> e.json().length).sum()).isLessThanOrEqualTo(bound);
      assertThat(batch).hasSizeBetween(1, 3);
    });
    assertThat(attempts.stream().mapToInt(List::size).sum()).isEqualTo(20);
    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().id()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void aBatchWaitsForItsLingerAndThenCarriesEveryEventThatJoinedIt() {
    f.sinks.batchSize(d.id(), 10);
    f.sinks.linger(d.id(), Duration.ofMillis(200));
    f.sinks.answerAsync(d.id(), 16, batch -> CompletableFuture.completedFuture(null));
    f.scheduler.hold();
    f.start(d);

    List<String> ids = f.streamAccepted("acme", 1);
    assertThat(eventually(() -> f.scheduler.heldCount() == 1)).isTrue();
    assertThat(f.sinks.attempts(d.id())).isEmpty();
    ids.addAll(f.streamAccepted("acme", 4));
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == 5)).isTrue();
    f.scheduler.runHeld();

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).singleElement().satisfies(batch -> assertThat(ids(batch)).isEqualTo(ids));
    assertThat(f.scheduler.delays).containsExactly(Duration.ofMillis(200));
  }

  @Test
  void aFullBatchPendingGoesAtOnceWithoutLinger() {
    f.sinks.batchSize(d.id(), 10);
    f.sinks.linger(d.id(), Duration.ofMillis(200));
    f.sinks.answerAsync(d.id(), 16, batch -> CompletableFuture.completedFuture(null));
    List<String> ids = queueWhilePaused(10);
    resume();

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).singleElement().satisfies(batch -> assertThat(ids(batch)).isEqualTo(ids));
    assertThat(f.scheduler.delays).isEmpty();
  }
}
