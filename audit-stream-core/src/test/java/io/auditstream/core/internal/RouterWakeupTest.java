package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The routing thread's waits, played by a test thread: with a nap or a sleep of a minute, returning within
 * the tests' bound of seconds means it was woken (or did not wait at all).
 */
class RouterWakeupTest {
  private static final RouterWakeup.Timing SLEEPY = new RouterWakeup.Timing(Duration.ZERO, Duration.ofMinutes(1));
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final IngressQueue ingress = new IngressQueue(64);
  private final RouterWakeup wakeup = new RouterWakeup(ingress, SLEEPY);

  @Test
  void aRouterAboutToSleepDoesNotWhenAnEventCameThatWokeNobody() throws Exception {
    // The event's producer read the state while the router was still awake, so it woke nobody.
    ingress.offer("event", 0);

    Thread router = routerThread(() -> wakeup.sleep(ingress::isEmpty));

    router.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(router.isAlive()).as("the router slept with an event waiting").isFalse();
  }

  @Test
  void aSleepingRouterIsWokenByTheNextEvent() throws Exception {
    Thread router = routerThread(() -> wakeup.sleep(ingress::isEmpty));
    assertThat(eventually(wakeup::sleeping)).isTrue();

    wakeup.added(ingress.offer("event", 0));

    router.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(router.isAlive()).as("the router sleeps on").isFalse();
    assertThat(wakeup.sleeping()).isFalse();
  }

  @Test
  void aNappingRouterIsWokenOnceTheIngressHoldsAQuarterOfItsBound() throws Exception {
    Thread router = routerThread(() -> wakeup.nap(MINUTE));
    assertThat(eventually(() -> parked(router))).isTrue();

    // 64 / 4: the 16th event wakes it.
    for (int i = 0; i < 16; i++) {
      wakeup.added(ingress.offer("event " + i, 0));
    }

    router.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(router.isAlive()).as("the router naps on with 16 events waiting").isFalse();
  }

  @Test
  void aNappingRouterIsWokenWhenTheIngressRefusesAnEvent() throws Exception {
    IngressQueue small = new IngressQueue(1);
    RouterWakeup w = new RouterWakeup(small, SLEEPY);
    // Filled by an event whose producer woke nobody; the next one is refused.
    small.offer("first", 0);
    Thread router = new Thread(() -> w.nap(MINUTE), "router");
    w.wakes(router);
    router.setDaemon(true);
    router.start();
    assertThat(eventually(() -> parked(router))).isTrue();

    assertThat(small.offer("second", 0)).isEqualTo(IngressQueue.FULL);
    w.full();

    router.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(router.isAlive()).as("the router naps on with its ingress full").isFalse();
  }

  @Test
  void napsGrowFromFiftyMicrosecondsToAMillisecondAndLastTheNapPhaseBeforeSleep() {
    assertThat(RouterWakeup.napNanos(0)).isEqualTo(TimeUnit.MICROSECONDS.toNanos(50));
    assertThat(RouterWakeup.napNanos(1)).isEqualTo(TimeUnit.MICROSECONDS.toNanos(100));
    assertThat(RouterWakeup.napNanos(5)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(RouterWakeup.napNanos(500)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    RouterWakeup defaults = new RouterWakeup(ingress, RouterWakeup.Timing.DEFAULT);
    long total = 0;
    for (int i = 0; i < defaults.napRounds(); i++) {
      total += RouterWakeup.napNanos(i);
    }
    assertThat(total).isBetween(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(51));
    assertThat(wakeup.napRounds()).isZero();
  }

  @Test
  void aNapKeepsItsLengthWhileEventsTrickleInAndStartsShortAgainAfterASleep() {
    RouterWakeup w = new RouterWakeup(ingress, new RouterWakeup.Timing(Duration.ofMillis(5), Duration.ofMillis(1)));
    assertThat(w.nextNapNanos()).isEqualTo(TimeUnit.MICROSECONDS.toNanos(50));
    for (int i = 0; i <= RouterWakeup.LONGEST_NAP_LEVEL; i++) {
      w.idle(ingress::isEmpty);
    }
    assertThat(w.nextNapNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));

    // An event or two per nap: the router takes them a nap's worth at a time, not with a wake-up each.
    w.worked();
    assertThat(w.sleepsNext()).isFalse();
    assertThat(w.nextNapNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));

    while (!w.sleepsNext()) {
      w.idle(ingress::isEmpty);
    }
    w.idle(ingress::isEmpty);
    // After a sleep the first event may be alone: the next one is looked for soon.
    w.worked();
    assertThat(w.nextNapNanos()).isEqualTo(TimeUnit.MICROSECONDS.toNanos(50));
  }

  /** Parked in its nap: it said it naps before it parked. */
  private static boolean parked(Thread router) {
    return router.getState() == Thread.State.TIMED_WAITING;
  }

  private Thread routerThread(Runnable wait) {
    Thread t = new Thread(wait, "router");
    t.setDaemon(true);
    wakeup.wakes(t);
    t.start();
    return t;
  }
}
