package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
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

    // The router holds at most one event inside the stuck queue and two wait in ingress.
    assertThat(stuck.offering.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(refused).isGreaterThanOrEqualTo(17);
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
    release.countDown();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).hasSize(2);
  }
}
