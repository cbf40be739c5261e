package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.core.internal.EventRouter.Admission;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the routing thread is woken: never by a timer while an event waits. The router here naps not at
 * all and sleeps for a minute at a time, so within the tests' bounds of seconds only a producer's
 * wake-up can explain an event being routed. Its table is empty: each event is routed to nothing.
 */
class EventRouterWakeupTest {
  private static final RouterWakeup.Timing SLEEPY = new RouterWakeup.Timing(Duration.ZERO, Duration.ofMinutes(1));

  private EventRouter router = routerWith(SLEEPY);

  @AfterEach
  void stop() {
    router.stop(Duration.ofSeconds(5));
  }

  private static EventRouter routerWith(RouterWakeup.Timing timing) {
    return new EventRouter(64, new RoutingTable(), id -> null, new InMemoryDeliveryQueue(), () -> {},
        Clock.systemUTC(), timing);
  }

  @Test
  void aSleepingRouterIsWokenByASingleStreamedEvent() {
    router.start();
    assertThat(eventually(router::sleeping)).isTrue();

    assertThat(router.offer(groupEvent("acme"), null)).isEqualTo(Admission.ACCEPTED);

    assertThat(eventually(router::idle)).as("routed long before the router's sleep ends").isTrue();
  }

  @Test
  void aSleepingRouterIsWokenByASingleSubmittedEvent() {
    router.start();
    assertThat(eventually(router::sleeping)).isTrue();
    CompletableFuture<Void> routed = new CompletableFuture<>();

    assertThat(router.offer(groupEvent("acme"), routed)).isEqualTo(Admission.ACCEPTED);

    assertThat(routed).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void noEventIsLeftWaitingWhenTheRouterFallsAsleepJustAsItArrives() throws Exception {
    router.start();
    // One producer: a second one's next event would wake the router and hide a wake-up missed for the first's.
    int producers = 1;
    int eventsEach = 5_000;
    ConcurrentLinkedQueue<String> stuck = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      Thread t = new Thread(() -> {
        for (int i = 0; i < eventsEach && stuck.isEmpty(); i++) {
          CompletableFuture<Void> routed = new CompletableFuture<>();
          if (router.offer(groupEvent("acme"), routed) != Admission.ACCEPTED) {
            stuck.add("event " + i + " was refused");
            return;
          }
          // Watching the future without blocking, and then a pause of 0 to 3 µs, puts the next event at
          // another moment of the router's way from routing this one to sleep.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (!routed.isDone()) {
            if (System.nanoTime() - deadline > 0) {
              stuck.add("event " + i + " was not routed within 10 s");
              return;
            }
            Thread.onSpinWait();
          }
          long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(3_000);
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        }
      }, "producer-" + p);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(40));
      assertThat(t.isAlive()).as("a producer is still waiting").isFalse();
    }
    assertThat(stuck).isEmpty();
    assertThat(router.accepted()).isEqualTo(producers * eventsEach);
    assertThat(eventually(router::idle)).isTrue();
  }

  @Test
  void anIdleRouterGoesFromNapsToSleep() {
    router = routerWith(RouterWakeup.Timing.DEFAULT);
    router.start();
    router.offer(groupEvent("acme"), null);
    assertThat(eventually(router::idle)).isTrue();

    // After its naps (50 ms in all) it sleeps until the next event: no timer runs while nothing comes.
    assertThat(eventually(router::sleeping)).isTrue();
  }
}
