package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.fixtures.ForwardingDeliveryQueue;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing the engine, and deleting a destination, while windows of deliveries are in flight. */
class DispatcherWindowCloseTest {
  private final Destination d = destination("acme", "siem").build();
  private final Destination other = destination("acme", "other").build();
  /** The answers the sink owes, never given unless a test gives them. */
  private final Queue<CompletableFuture<Void>> owed = new ConcurrentLinkedQueue<>();
  private DispatcherFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  private DispatcherFixture fixture(io.auditstream.api.spi.DeliveryQueue queue) {
    f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES, queue, 1000, Duration.ZERO,
        new DeliverySettings(16, 2, Duration.ofSeconds(30)));
    return f;
  }

  /** Answers nothing until the test does. */
  private CompletableFuture<Void> owe(List<io.auditstream.api.sink.EncodedEvent> batch) {
    CompletableFuture<Void> answer = new CompletableFuture<>();
    owed.add(answer);
    return answer;
  }

  @Test
  void closeWithWindowsThatNeverLandEndsAndReportsTheirEventsOnceEvenWhenTheyAreAnsweredLater() {
    fixture(new InMemoryDeliveryQueue(1000));
    f.sinks.answerAsync(d.id(), 16, this::owe);
    f.sinks.ignoreClose(d.id());
    f.start(d);
    List<String> ids = f.streamAccepted("acme", 40);
    assertThat(eventually(() -> f.sinks.inFlight(d.id()) > 0 && f.dispatcher.status(d.id()).pending() == 40)).isTrue();

    long started = System.nanoTime();
    f.dispatcher.close(Duration.ofMillis(50));
    // A bound against a hang, not a measure of speed: close waits its timeout and a few seconds at most.
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(15);
    owed.forEach(answer -> answer.complete(null));

    Set<String> reported = new HashSet<>();
    f.listener.dropsFor(d.id()).forEach(drop -> {
      assertThat(drop.reason()).isEqualTo("closed");
      assertThat(reported.add(drop.eventId())).as("reported once").isTrue();
    });
    assertThat(reported).containsExactlyInAnyOrderElementsOf(ids);
    // Answered after the engine accounted for them: counted as what the report said, not delivered too.
    assertThat(f.dispatcher.status(d.id()).delivered()).isZero();
    assertThat(f.dispatcher.status(d.id()).dropped()).isEqualTo(40);
    assertThat(f.dispatcher.stats().delivered()).isZero();
    assertThat(f.queue.size()).isZero();
  }

  @Test
  void closeLeavesTheDeliveriesOfAWindowInFlightPendingInADurableQueue() {
    fixture(new ForwardingDeliveryQueue(new InMemoryDeliveryQueue(1000)));
    f.sinks.answerAsync(d.id(), 16, this::owe);
    f.sinks.ignoreClose(d.id());
    f.start(d);
    f.streamAccepted("acme", 20);
    assertThat(eventually(() -> f.sinks.inFlight(d.id()) > 0 && f.dispatcher.status(d.id()).pending() == 20)).isTrue();

    f.dispatcher.close(Duration.ofMillis(50));
    owed.forEach(answer -> answer.complete(null));

    assertThat(f.queue.size(d.id())).isEqualTo(20);
    assertThat(f.listener.drops).isEmpty();
    assertThat(f.dispatcher.stats().dropped()).isZero();
    assertThat(f.dispatcher.stats().delivered()).isZero();
  }

  @Test
  void aSinkClosedByTheCloseFailsItsWindowWhichIsReportedUndeliveredOnce() {
    fixture(new InMemoryDeliveryQueue(1000));
    // This sink fails what is in flight when it is closed, as sinks do.
    f.sinks.answerAsync(d.id(), 16, this::owe);
    f.start(d);
    List<String> ids = f.streamAccepted("acme", 30);
    assertThat(eventually(() -> f.sinks.inFlight(d.id()) > 0 && f.dispatcher.status(d.id()).pending() == 30)).isTrue();

    f.dispatcher.close(Duration.ofMillis(50));

    assertThat(f.sinks.inFlight(d.id())).isZero();
    assertThat(f.sinks.delivered(d.id())).isEmpty();
    assertThat(f.listener.dropsFor(d.id())).extracting(RecordingListener.Drop::eventId)
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(f.dispatcher.status(d.id()).delivered()).isZero();
    assertThat(f.queue.size()).isZero();
  }

  @Test
  void deletingADestinationDuringAWindowClosesItsSinkAndLeavesNothingOfItBehind() throws InterruptedException {
    fixture(new InMemoryDeliveryQueue(1000));
    f.sinks.answerAsync(d.id(), 16, this::owe);
    f.start(d, other);
    f.streamAccepted("acme", 30);
    assertThat(f.sinks.awaitDelivered(other.id(), 30)).isTrue();
    assertThat(eventually(() -> f.sinks.inFlight(d.id()) > 0)).isTrue();

    f.store.delete(d.id());
    f.dispatcher.destinationDeleted(d);

    // The sink is closed at once and fails what it had in flight; the window lands, and nothing is retried.
    assertThat(f.sinks.sinksFor(d.id())).allSatisfy(s -> assertThat(s.isClosed()).isTrue());
    assertThat(eventually(() -> f.sinks.inFlight(d.id()) == 0)).isTrue();
    assertThat(f.queue.size(d.id())).isZero();
    assertThat(f.sinks.delivered(d.id())).isEmpty();
    List<String> more = f.streamAccepted("acme", 5);
    assertThat(f.sinks.awaitDelivered(other.id(), 35)).isTrue();
    assertThat(f.sinks.delivered(other.id()).subList(30, 35)).extracting(e -> e.event().id())
        .containsExactlyElementsOf(more);
    assertThat(f.sinks.attempts(d.id())).hasSizeLessThanOrEqualTo(16);
    assertThat(f.scheduler.delays).isEmpty();
    assertThat(f.flush()).isTrue();
  }
}
