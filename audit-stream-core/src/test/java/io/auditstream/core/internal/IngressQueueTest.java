package io.auditstream.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The router's lock-free ingress: its bound, its order, its close, and many producers at once. */
class IngressQueueTest {
  private static final int PRODUCERS = 4;

  @Test
  void holdsExactlyItsCapacityAndTakesMoreOnceDrained() {
    IngressQueue q = new IngressQueue(3);
    assertThat(q.offer("a", 1)).isZero();
    assertThat(q.offer("b", 2)).isOne();
    assertThat(q.offer("c", 3)).isEqualTo(2);
    assertThat(q.offer("d", 4)).isEqualTo(IngressQueue.FULL);

    Object[] into = new Object[8];
    long[] stamps = new long[8];
    assertThat(q.drain(into, stamps, 1)).isOne();
    assertThat(q.offer("d", 4)).isEqualTo(3);
    assertThat(q.offer("e", 5)).isEqualTo(IngressQueue.FULL);
    assertThat(q.claimed()).isEqualTo(4);
    assertThat(q.taken()).isOne();
  }

  @Test
  void drainsOldestFirstEachEventWithItsStampAcrossTheEndOfTheArray() {
    IngressQueue q = new IngressQueue(5);
    Object[] into = new Object[8];
    long[] stamps = new long[8];
    List<Object> out = new ArrayList<>();
    List<Long> outStamps = new ArrayList<>();
    // 5 rounds of 3 go round an array of 8 slots twice.
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 3; i++) {
        int n = round * 3 + i;
        assertThat(q.offer("e" + n, 1000L + n)).isEqualTo(n);
      }
      int drained = q.drain(into, stamps, 8);
      for (int i = 0; i < drained; i++) {
        out.add(into[i]);
        outStamps.add(stamps[i]);
      }
    }
    List<Object> expected = new ArrayList<>();
    List<Long> expectedStamps = new ArrayList<>();
    for (int n = 0; n < 15; n++) {
      expected.add("e" + n);
      expectedStamps.add(1000L + n);
    }
    assertThat(out).containsExactlyElementsOf(expected);
    assertThat(outStamps).containsExactlyElementsOf(expectedStamps);
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void refusesEveryOfferAfterCloseAndKeepsWhatWasClaimedBeforeForTheDrain() {
    IngressQueue q = new IngressQueue(4);
    q.offer("a", 1);
    q.offer("b", 2);
    q.close();

    assertThat(q.offer("c", 3)).isEqualTo(IngressQueue.CLOSED);
    assertThat(q.claimed()).isEqualTo(2);
    Object[] into = new Object[4];
    assertThat(q.drain(into, new long[4], 4)).isEqualTo(2);
    assertThat(into).startsWith("a", "b");
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.offer("d", 4)).isEqualTo(IngressQueue.CLOSED);
  }

  @Test
  void refusesABoundOutOfRange() {
    assertThatThrownBy(() -> new IngressQueue(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ingressCapacity must be 1 to 1073741824 (was 0)");
    assertThatThrownBy(() -> new IngressQueue(IngressQueue.MAX_CAPACITY + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manyProducersAgainstASmallQueueHaveEveryAcceptedEventDrainedExactlyOnceWithItsStamp() throws Exception {
    IngressQueue q = new IngressQueue(16);
    int perProducer = 50_000;
    List<Set<Long>> accepted = new ArrayList<>();
    AtomicLong refused = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> producers = startProducers(accepted, (base, mine) -> {
      await(go);
      for (long i = 0; i < perProducer; i++) {
        Long event = base + i;
        long index = q.offer(event, event);
        if (index >= 0) {
          mine.add(event);
        } else if (index == IngressQueue.FULL) {
          refused.incrementAndGet();
        }
      }
    });
    List<Long> drained = new ArrayList<>();
    AtomicReference<String> mismatch = new AtomicReference<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread consumer = start(() -> {
      Object[] into = new Object[7];
      long[] stamps = new long[7];
      while (producing.get() || !q.isEmpty()) {
        int n = q.drain(into, stamps, into.length);
        for (int i = 0; i < n; i++) {
          if ((Long) into[i] != stamps[i]) {
            mismatch.compareAndSet(null, into[i] + " came with stamp " + stamps[i]);
          }
          drained.add((Long) into[i]);
        }
        if (n == 0) {
          Thread.onSpinWait();
        }
      }
    });
    go.countDown();
    for (Thread t : producers) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).as("a producer is still offering").isFalse();
    }
    producing.set(false);
    consumer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(consumer.isAlive()).as("the consumer is still draining").isFalse();

    Set<Long> all = new HashSet<>();
    accepted.forEach(all::addAll);
    assertThat(mismatch.get()).isNull();
    assertThat(drained).hasSize(all.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(drained)).isEqualTo(all);
    assertThat(all.size() + refused.get()).isEqualTo((long) PRODUCERS * perProducer);
    assertThat(q.claimed()).isEqualTo(all.size());
  }

  @Test
  void anOfferRacingCloseIsEitherDrainedOrRefusedNeverLost() throws Exception {
    for (int round = 0; round < 50; round++) {
      IngressQueue q = new IngressQueue(1 << 16);
      List<Set<Long>> accepted = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(PRODUCERS);
      // Without stamps, as producers on the system clock offer.
      List<Thread> producers = startProducers(accepted, (base, mine) -> {
        go.countDown();
        for (long i = 0; ; ) {
          long index = q.offer(base + i);
          if (index == IngressQueue.CLOSED) {
            return;
          }
          if (index >= 0) {
            mine.add(base + i++);
          }
        }
      });
      await(go);
      q.close();
      for (Thread t : producers) {
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(t.isAlive()).as("a producer goes on after the close").isFalse();
      }
      Set<Long> drained = new HashSet<>();
      Object[] into = new Object[512];
      int n;
      while ((n = q.drain(into, new long[512], 512)) > 0) {
        for (int i = 0; i < n; i++) {
          assertThat(drained.add((Long) into[i])).isTrue();
        }
      }
      Set<Long> all = new HashSet<>();
      accepted.forEach(all::addAll);
      assertThat(drained).isEqualTo(all);
      assertThat(q.isEmpty()).isTrue();
    }
  }

  /** What one producer does, with its own events (from {@code base} on) and its own set of accepted ones. */
  private interface Producer {
    void run(long base, Set<Long> mine);
  }

  /** Starts {@link #PRODUCERS} producers, each numbered in its events' high bits; adds their sets to {@code accepted}. */
  private static List<Thread> startProducers(List<Set<Long>> accepted, Producer produce) {
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      Set<Long> mine = new HashSet<>();
      accepted.add(mine);
      long base = (long) p << 32;
      producers.add(start(() -> produce.run(base, mine)));
    }
    return producers;
  }

  private static Thread start(Runnable r) {
    Thread t = new Thread(r, "ingress-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
