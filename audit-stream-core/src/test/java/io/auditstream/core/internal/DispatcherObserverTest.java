package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.internal.RecordingObserver.AttemptFailed;
import io.auditstream.core.internal.RecordingObserver.DeadLettered;
import io.auditstream.core.internal.RecordingObserver.Delivered;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the host's {@link io.auditstream.api.spi.DeliveryObserver} hears of each delivery's outcome. */
class DispatcherObserverTest {
  private DispatcherFixture f = new DispatcherFixture();
  private final Destination d = destination("acme", "siem").build();

  @AfterEach
  void close() {
    f.close();
  }

  /** Streams {@code n} events while the destination is paused, so that they are all queued; their ids. */
  private List<String> queueWhilePaused(int n) {
    f.start(d.toBuilder().paused("filling the queue").build());
    List<String> ids = f.streamAccepted("acme", n);
    assertThat(eventually(() -> f.dispatcher.status(d.id()).pending() == n)).isTrue();
    return ids;
  }

  private void resume() {
    f.save(d.toBuilder().resumed().build());
  }

  @Test
  void hearsEveryDeliveredEventWithHowLongItWaitedSinceItWasAccepted() {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    f.sinks.behave(d.id(), batch -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    f.start(d);
    AuditEvent e = groupEvent("acme");
    f.dispatcher.stream(e);
    assertThat(eventually(() -> entered.getCount() == 0)).isTrue();

    // The destination answers 3 seconds after the event was accepted.
    f.clock.advance(Duration.ofSeconds(3));
    release.countDown();
    assertThat(f.flush()).isTrue();

    assertThat(f.observer.calls).containsExactly(
        new Delivered(d.id(), List.of(e.id()), List.of(Duration.ofSeconds(3))));
  }

  @Test
  void hearsABatchAsOneCallThatCarriesAllItsDeliveries() {
    f.sinks.batchSize(d.id(), 10);
    List<String> ids = queueWhilePaused(4);
    resume();

    assertThat(f.flush()).isTrue();
    assertThat(f.observer.calls).singleElement().isInstanceOfSatisfying(Delivered.class, c -> {
      assertThat(c.destination()).isEqualTo(d.id());
      assertThat(c.eventIds()).isEqualTo(ids);
    });
  }

  @Test
  void hearsEachRetriedAttemptBeforeTheDelivery() {
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(2, DeliveryException.retryable("HTTP 503")));
    f.start(d);
    AuditEvent e = groupEvent("acme");

    f.dispatcher.stream(e);
    assertThat(f.flush()).isTrue();

    assertThat(f.observer.calls).containsExactly(
        new AttemptFailed(d.id(), 1, true),
        new AttemptFailed(d.id(), 1, true),
        // The lane's time moved on by the waits, 1 ms and 2 ms, though the clock stands still.
        new Delivered(d.id(), List.of(e.id()), List.of(Duration.ofMillis(3))));
  }

  @Test
  void hearsAFailedBatchRetriedWithAllItsDeliveries() {
    f.sinks.batchSize(d.id(), 10);
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(1, DeliveryException.retryable("HTTP 503")));
    List<String> ids = queueWhilePaused(3);
    resume();

    assertThat(f.flush()).isTrue();
    assertThat(f.observer.calls).hasSize(2);
    assertThat(f.observer.calls.get(0)).isEqualTo(new AttemptFailed(d.id(), 3, true));
    assertThat(f.observer.calls.get(1)).isInstanceOfSatisfying(Delivered.class,
        c -> assertThat(c.eventIds()).isEqualTo(ids));
  }

  @Test
  void hearsAPermanentFailureAsAnAttemptNotRetriedAndADeadLetter() {
    f.sinks.behave(d.id(), batch -> {
      throw DeliveryException.permanent("HTTP 400 Bad Request");
    });
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.observer.calls).containsExactly(new AttemptFailed(d.id(), 1, false), new DeadLettered(d.id(), 1));
  }

  @Test
  void hearsOfADeliveryThatAgedOutOfItsRetriesAsADeadLetter() {
    f.close();
    // 10 ms steps, 25 ms of age: attempts at 0, 10 and 20 ms; the next, at 30 ms, would be too late.
    f = new DispatcherFixture(RetryPolicy.builder().schedule(Duration.ofMillis(10)).maxAge(Duration.ofMillis(25))
        .jitter(false).build());
    f.sinks.behave(d.id(), batch -> {
      throw DeliveryException.retryable("HTTP 500");
    });
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.observer.calls).containsExactly(
        new AttemptFailed(d.id(), 1, true),
        new AttemptFailed(d.id(), 1, true),
        new AttemptFailed(d.id(), 1, false),
        new DeadLettered(d.id(), 1));
  }

  @Test
  void hearsNothingOfABatchRefusedForGoodButEachAttemptOfItsEvents() {
    f.sinks.batchSize(d.id(), 10);
    AtomicInteger singles = new AtomicInteger();
    f.sinks.behave(d.id(), batch -> {
      // The batch is refused for good, and so is the second of its events on its own.
      if (batch.size() > 1 || singles.incrementAndGet() == 2) {
        throw DeliveryException.permanent("HTTP 413 Payload Too Large");
      }
    });
    List<String> ids = queueWhilePaused(3);
    resume();

    assertThat(f.flush()).isTrue();
    assertThat(f.observer.calls).containsExactly(
        new Delivered(d.id(), List.of(ids.get(0)), List.of(Duration.ZERO)),
        new AttemptFailed(d.id(), 1, false),
        new DeadLettered(d.id(), 1),
        new Delivered(d.id(), List.of(ids.get(2)), List.of(Duration.ZERO)));
  }

  @Test
  void anObserverThatThrowsChangesNothingOfTheDeliveries() {
    f.observer.failWith = new IllegalStateException("metrics registry broken");
    AtomicInteger calls = new AtomicInteger();
    Destination refused = destination("acme", "refused").build();
    f.sinks.behave(d.id(), TestSinkProvider.failFirst(1, DeliveryException.retryable("HTTP 503")));
    f.sinks.behave(refused.id(), batch -> {
      calls.incrementAndGet();
      throw DeliveryException.permanent("HTTP 400 Bad Request");
    });
    f.start(d, refused);

    f.streamAccepted("acme", 3);
    assertThat(f.flush()).isTrue();

    DestinationStatus delivered = f.dispatcher.status(d.id());
    assertThat(delivered.delivered()).isEqualTo(3);
    assertThat(delivered.pending()).isZero();
    assertThat(f.sinks.delivered(d.id())).hasSize(3);
    DestinationStatus deadLettered = f.dispatcher.status(refused.id());
    assertThat(deadLettered.failed()).isEqualTo(3);
    assertThat(deadLettered.deadLetters()).isEqualTo(3);
    assertThat(calls).hasValue(3);
    assertThat(f.listener.deadLetters).hasSize(3);
    assertThat(f.dispatcher.stats().delivered()).isEqualTo(3);
    assertThat(f.dispatcher.stats().deadLettered()).isEqualTo(3);
    // It was called all along, and threw each time.
    assertThat(f.observer.deliveredCount()).isEqualTo(3);
  }
}
