package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.fixtures.StandardError;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's threads: a bounded delivery pool that no destination can fill by not answering. */
class DispatcherThreadIsolationTest {
  private static final int DELIVERY_THREADS = 2;

  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Thread> before = Thread.getAllStackTraces().keySet();
  private DispatcherFixture f;

  @AfterEach
  void close() throws Exception {
    release.countDown();
    if (f != null) {
      // Closing with the blocked destinations' events still queued logs every one of them, a hundred ids a
      // line: DispatcherCloseTest checks that report; here it would only flood the build's output.
      StandardError.capture(f::close);
    }
  }

  /** Room for every event of these tests in the queue; deliveries that go unanswered for 30 s at most. */
  private static DispatcherFixture fixture() {
    return new DispatcherFixture(DispatcherFixture.FAST_RETRIES, new InMemoryDeliveryQueue(10_000), 10_000,
        Duration.ZERO, new DeliverySettings(16, DELIVERY_THREADS, Duration.ofSeconds(30)));
  }

  /** Threads named {@code prefix}-N that this test's engine started, still alive. */
  private List<Thread> engineThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix + "-") && !before.contains(t) && t.isAlive())
        .collect(Collectors.toList());
  }

  /**
   * Blocks in {@code deliver} until the test ends (the sink's close does not reach a blocked call), keeping
   * in {@code most} the most calls blocked at once.
   */
  private TestSinkProvider.Behaviour neverReturns(AtomicInteger most) {
    AtomicInteger now = new AtomicInteger();
    return batch -> {
      most.accumulateAndGet(now.incrementAndGet(), Math::max);
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw DeliveryException.retryable("interrupted");
    };
  }

  @Test
  void destinationsThatNeverAnswerOutnumberingTheDeliveryThreadsDoNotHoldUpAnotherGroupsDestination()
      throws InterruptedException {
    f = fixture();
    List<Destination> silent = new ArrayList<>();
    List<AtomicInteger> mostBlocked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Destination blocking = destination("acme", "blocking" + i).build();
      AtomicInteger most = new AtomicInteger();
      mostBlocked.add(most);
      f.sinks.behave(blocking.id(), neverReturns(most));
      Destination async = destination("acme", "async" + i).build();
      f.sinks.answerAsync(async.id(), 16, batch -> new CompletableFuture<>());
      silent.add(blocking);
      silent.add(async);
    }
    Destination healthy = destination("other", "healthy").build();
    List<Destination> all = new ArrayList<>(silent);
    all.add(healthy);
    f.start(all.toArray(Destination[]::new));

    for (int i = 0; i < 200; i++) {
      assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
      assertThat(f.dispatcher.stream(groupEvent("other"))).isTrue();
    }

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (f.sinks.delivered(healthy.id()).size() < 200 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(f.sinks.delivered(healthy.id())).as("the healthy destination's events, within 5 s").hasSize(200);
    assertThat(f.dispatcher.stats().dropped()).isZero();
    for (Destination d : silent) {
      assertThat(f.sinks.delivered(d.id())).isEmpty();
      assertThat(f.sinks.attempts(d.id())).isNotEmpty();
    }
    // Each silent destination had its first attempt; a blocking one holds one blocking thread, no more.
    assertThat(mostBlocked).allSatisfy(most -> assertThat(most.get()).isOne());
    assertThat(engineThreads("audit-stream-delivery")).hasSizeLessThanOrEqualTo(DELIVERY_THREADS);
  }

  @Test
  void tenAsynchronousDestinationsRunOnTheConfiguredDeliveryThreadsAlone() throws InterruptedException {
    f = fixture();
    List<Destination> destinations = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Destination d = destination("acme", "async" + i).build();
      f.sinks.answerAsync(d.id(), 16, DispatcherThreadIsolationTest::afterAMoment);
      destinations.add(d);
    }
    f.start(destinations.toArray(Destination[]::new));

    AtomicInteger most = new AtomicInteger();
    for (int i = 0; i < 300; i++) {
      assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
      if (i % 10 == 0) {
        most.accumulateAndGet(engineThreads("audit-stream-delivery").size(), Math::max);
      }
    }
    while (!f.dispatcher.flush(Duration.ofMillis(5))) {
      most.accumulateAndGet(engineThreads("audit-stream-delivery").size(), Math::max);
    }

    for (Destination d : destinations) {
      assertThat(f.sinks.delivered(d.id())).hasSize(300);
    }
    assertThat(f.dispatcher.stats().dropped()).isZero();
    assertThat(destinations).anySatisfy(d -> assertThat(f.sinks.maxConcurrency(d.id())).isGreaterThan(1));
    assertThat(most.get()).isBetween(1, DELIVERY_THREADS);
    assertThat(engineThreads("audit-stream-delivery")).hasSizeLessThanOrEqualTo(DELIVERY_THREADS);
    assertThat(engineThreads("audit-stream-blocking")).isEmpty();
  }

  /** Answers after up to a millisecond, on a thread that is not the engine's. */
  private static CompletableFuture<Void> afterAMoment(List<EncodedEvent> batch) {
    long micros = ThreadLocalRandom.current().nextLong(50, 1000);
    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(micros, TimeUnit.MICROSECONDS));
  }
}
