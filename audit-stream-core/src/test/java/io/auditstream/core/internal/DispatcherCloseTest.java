package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.core.fixtures.StandardError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What closing leaves behind, with the host still streaming. */
class DispatcherCloseTest {
  private static final int PRODUCERS = 4;
  private static final int EVENTS_PER_PRODUCER = 1500;
  private static final String REPORTED_IDS = "they are dropped: [";

  private final DispatcherFixture f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES,
      new io.auditstream.core.queue.InMemoryDeliveryQueue(), 2000);
  private final Destination a = destination("acme", "a").build();
  private final Destination b = destination("acme", "b").build();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void everyEventAcceptedWhileCloseRunsIsDeliveredOrReportedUndeliveredAndNothingElse() throws Exception {
    // Slow enough that a backlog builds up, so that close has something to leave behind.
    TestSinkProvider.Behaviour slow = batch -> LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(300));
    f.sinks.behave(a.id(), slow);
    f.sinks.behave(b.id(), slow);
    String log = StandardError.capture(this::streamWhileClosingAndAccountForEveryEvent);
    assertTheCloseReportNamesEveryDroppedEvent(log);
  }

  @Test
  void everyEventAcceptedWhileCloseRacesWindowsInFlightIsDeliveredOrReportedUndeliveredAndNothingElse()
      throws Exception {
    // Sixteen in flight at once, each answered a little later on another thread, or failed by the close.
    TestSinkProvider.AsyncBehaviour slow = batch -> CompletableFuture.runAsync(() -> {},
        CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextLong(200, 2000), TimeUnit.MICROSECONDS));
    f.sinks.answerAsync(a.id(), 16, slow);
    f.sinks.answerAsync(b.id(), 16, slow);
    String log = StandardError.capture(this::streamWhileClosingAndAccountForEveryEvent);
    assertTheCloseReportNamesEveryDroppedEvent(log);
  }

  /**
   * Close logs what it drops, a hundred event ids a line: thousands of them here, which the test reads
   * rather than letting them flood the build's output.
   */
  private void assertTheCloseReportNamesEveryDroppedEvent(String log) {
    Set<String> logged = new HashSet<>();
    log.lines().filter(l -> l.contains("Audit streaming closed with")).forEach(l -> {
      String ids = l.substring(l.indexOf(REPORTED_IDS) + REPORTED_IDS.length(), l.lastIndexOf(']'));
      logged.addAll(List.of(ids.split(", ")));
    });
    for (DestinationId id : List.of(a.id(), b.id())) {
      assertThat(logged).as("events close dropped for %s, each named in the log", id)
          .containsAll(f.listener.dropsFor(id).stream().map(RecordingListener.Drop::eventId).toList());
    }
  }

  private void streamWhileClosingAndAccountForEveryEvent() throws Exception {
    f.start(a, b);
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch running = new CountDownLatch(PRODUCERS);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      Thread t = new Thread(() -> {
        running.countDown();
        for (int i = 0; i < EVENTS_PER_PRODUCER && !stop.get(); i++) {
          AuditEvent e = groupEvent("acme/p" + i);
          if (f.dispatcher.stream(e)) {
            accepted.add(e.id());
          }
        }
      }, "producer-" + p);
      producers.add(t);
      t.start();
    }
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));

    f.dispatcher.close(Duration.ofMillis(20));
    stop.set(true);
    for (Thread t : producers) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(t.isAlive()).isFalse();
    }

    assertThat(accepted).isNotEmpty();
    for (DestinationId id : List.of(a.id(), b.id())) {
      Set<String> delivered = new HashSet<>();
      f.sinks.delivered(id).forEach(e -> assertThat(delivered.add(e.event().id())).as("delivered once").isTrue());
      Set<String> reported = new HashSet<>();
      f.listener.dropsFor(id).forEach(drop -> {
        assertThat(drop.reason()).isEqualTo("closed");
        assertThat(reported.add(drop.eventId())).as("reported once").isTrue();
      });
      assertThat(reported).as("something was left to report").isNotEmpty();
      assertThat(delivered).as("delivered and reported apart").doesNotContainAnyElementsOf(reported);
      Set<String> accountedFor = new HashSet<>(delivered);
      accountedFor.addAll(reported);
      assertThat(accountedFor).as("every accepted event, and only those").isEqualTo(accepted);
      assertThat(f.dispatcher.status(id).delivered() + f.dispatcher.status(id).dropped()).isEqualTo(accepted.size());
    }
    assertThat(f.dispatcher.stats().accepted()).isEqualTo(accepted.size());
    assertThat(f.dispatcher.stats().delivered() + f.dispatcher.stats().dropped()).isEqualTo(2L * accepted.size());
    assertThat(f.queue.size()).isZero();
  }
}
