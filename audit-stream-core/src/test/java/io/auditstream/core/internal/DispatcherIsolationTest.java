package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherIsolationTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private DispatcherFixture f;

  @AfterEach
  void close() {
    release.countDown();
    if (f != null) {
      f.close();
    }
  }

  private TestSinkProvider.Behaviour blocked() {
    return batch -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw io.auditstream.api.sink.DeliveryException.retryable("interrupted", e);
      }
    };
  }

  @Test
  void blockedDestinationDoesNotDelayAnotherDestination() throws InterruptedException {
    f = new DispatcherFixture();
    Destination slow = destination("acme", "slow").build();
    Destination fast = destination("acme", "fast").build();
    f.sinks.behave(slow.id(), blocked());
    f.start(slow, fast);

    for (int i = 0; i < 3; i++) {
      f.dispatcher.stream(groupEvent("acme"));
    }

    assertThat(f.sinks.awaitDelivered(fast.id(), 3)).isTrue();
    // The slow lane may not have begun its first attempt yet; when it has, it stays stuck in it.
    assertThat(f.sinks.awaitAttempts(slow.id(), 1)).isTrue();
    assertThat(release.getCount()).isOne();
    assertThat(f.sinks.attempts(slow.id())).hasSize(1);
    assertThat(f.sinks.delivered(slow.id())).isEmpty();
    release.countDown();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(slow.id())).hasSize(3);
  }

  @Test
  void failingDestinationDoesNotDelayAnotherGroupsDestination() throws InterruptedException {
    f = new DispatcherFixture();
    Destination failing = destination("acme", "down").build();
    Destination healthy = destination("other", "up").build();
    f.sinks.behave(failing.id(), blocked());
    f.start(failing, healthy);

    f.dispatcher.stream(groupEvent("acme"));
    f.dispatcher.stream(groupEvent("other"));

    assertThat(f.sinks.awaitDelivered(healthy.id(), 1)).isTrue();
    // The sink saw it first; the status catches up once the lane has recorded the success.
    assertThat(eventually(() -> f.dispatcher.status(healthy.id()).delivered() == 1)).isTrue();
    assertThat(f.dispatcher.status(failing.id()).pending()).isEqualTo(1);
  }

  @Test
  void streamReturnsAndCountsTheDropWhenIngressIsFullAndEverythingDownstreamIsStuck() throws InterruptedException {
    BlockingOfferQueue stuck = new BlockingOfferQueue();
    f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES, stuck, 2);
    Destination d = destination("acme", "siem").build();
    f.sinks.behave(d.id(), blocked());
    f.start(d);

    int refused = 0;
    for (int i = 0; i < 20; i++) {
      if (!f.dispatcher.stream(groupEvent("acme"))) {
        refused++;
      }
    }

    // The router holds one batch inside the stuck queue: the event it took, and what ingress held when it
    // drained the rest (at most two, one of which may have come in after the first was taken); two more
    // wait in ingress. So at most five are accepted.
    assertThat(stuck.offering.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(refused).isGreaterThanOrEqualTo(15);
    assertThat(f.dispatcher.stats().accepted()).isEqualTo(20 - refused);
    assertThat(f.dispatcher.stats().refusedFull()).isEqualTo(refused);
    assertThat(f.dispatcher.droppedCount()).isEqualTo(refused);
    assertThat(f.dispatcher.status(d.id()).failed()).isZero();
    stuck.gate.countDown();
  }

  @Test
  void fullDeliveryQueueCountsTheDropOnTheDestination() throws InterruptedException {
    f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES, new InMemoryDeliveryQueue(2), 100);
    Destination d = destination("acme", "siem").build();
    f.sinks.behave(d.id(), blocked());
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.sinks.awaitAttempts(d.id(), 1)).isTrue();
    for (int i = 0; i < 4; i++) {
      assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    }

    // One in flight and one waiting fill the queue of two; the other three are dropped.
    assertThat(eventually(() -> f.dispatcher.status(d.id()).dropped() == 3)).isTrue();
    assertThat(f.dispatcher.status(d.id()).pending()).isEqualTo(2);
    assertThat(f.dispatcher.droppedCount()).isZero();
    assertThat(f.listener.drops).hasSize(3).allSatisfy(drop -> {
      assertThat(drop.destination()).isEqualTo(d.id());
      assertThat(drop.reason()).isEqualTo("delivery queue full");
    });
    assertThat(f.dispatcher.stats().dropped()).isEqualTo(3);
    release.countDown();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).hasSize(2);
  }

  @Test
  void aDestinationThatNeverAnswersCostsAnotherGroupsDestinationNoEventAndNoWait() throws InterruptedException {
    f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES,
        InMemoryDeliveryQueue.builder().maxEventsPerDestination(10).build(), 1000);
    Destination dead = destination("acme", "dead").build();
    Destination healthy = destination("other", "healthy").build();
    f.sinks.behave(dead.id(), blocked());
    f.start(dead, healthy);

    List<String> toHealthy = streamToBoth(100, healthy);

    assertThat(f.sinks.delivered(healthy.id())).extracting(e -> e.event().id()).containsExactlyElementsOf(toHealthy);
    assertDeadDestinationDroppedItsOverflowAlone(dead, healthy);
    assertThat(f.sinks.attempts(dead.id())).hasSize(1);
  }

  @Test
  void aDestinationThatFailsForeverCostsAnotherGroupsDestinationNoEventAndNoWait() throws InterruptedException {
    f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES,
        InMemoryDeliveryQueue.builder().maxEventsPerDestination(10).build(), 1000);
    Destination dead = destination("acme", "dead").build();
    Destination healthy = destination("other", "healthy").build();
    f.sinks.behave(dead.id(), batch -> {
      throw io.auditstream.api.sink.DeliveryException.retryable("HTTP 503");
    });
    // The dead destination's next probe is scheduled, and never comes during the test.
    f.scheduler.hold();
    f.start(dead, healthy);

    List<String> toHealthy = streamToBoth(100, healthy);

    assertThat(f.sinks.delivered(healthy.id())).extracting(e -> e.event().id()).containsExactlyElementsOf(toHealthy);
    assertDeadDestinationDroppedItsOverflowAlone(dead, healthy);
    // Attempted with no more than its window before the first failure landed; then it waits for its probe
    // and the others wait behind it.
    int attempts = f.sinks.attempts(dead.id()).size();
    assertThat(attempts).isBetween(1, 16);
    assertThat(f.scheduler.heldCount()).isOne();
    streamToBoth(5, healthy);
    assertThat(f.sinks.attempts(dead.id())).hasSize(attempts);
    // Its probe never comes: no use waiting for it to drain.
    f.dispatcher.close(java.time.Duration.ZERO);
  }

  /**
   * Streams {@code n} events to each of the groups acme and other, alternating, each of other's only once
   * {@code healthy} received the one before (within a few seconds): its own small bound is never reached,
   * and it gets every event promptly, whatever the dead one does. Returns the ids of other's events.
   */
  private List<String> streamToBoth(int n, Destination healthy) throws InterruptedException {
    List<String> toOther = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
      io.auditstream.api.AuditEvent e = groupEvent("other");
      toOther.add(e.id());
      assertThat(f.dispatcher.stream(e)).isTrue();
      assertThat(f.sinks.awaitDelivered(healthy.id(), i + 1)).as("event %d reached the healthy destination", i).isTrue();
    }
    return toOther;
  }

  /** The dead destination's backlog is at its bound of 10; the 90 others were dropped for it alone. */
  private void assertDeadDestinationDroppedItsOverflowAlone(Destination dead, Destination healthy) {
    assertThat(eventually(() -> f.dispatcher.status(dead.id()).dropped() == 90)).isTrue();
    assertThat(f.dispatcher.status(dead.id()).pending()).isEqualTo(10);
    assertThat(eventually(() -> f.dispatcher.status(healthy.id()).delivered() == 100)).isTrue();
    assertThat(f.dispatcher.status(healthy.id()).dropped()).isZero();
    assertThat(f.listener.drops).hasSize(90).allSatisfy(drop -> {
      assertThat(drop.destination()).isEqualTo(dead.id());
      assertThat(drop.reason()).isEqualTo("destination backlog full");
    });
    assertThat(f.dispatcher.stats().dropped()).isEqualTo(90);
    assertThat(f.dispatcher.stats().accepted()).isEqualTo(200);
    assertThat(f.dispatcher.droppedCount()).isZero();
  }
}
