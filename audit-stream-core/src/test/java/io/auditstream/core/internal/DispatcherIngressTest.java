package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many host threads streaming at once into a small ingress. */
class DispatcherIngressTest {
  private static final int PRODUCERS = 4;
  private static final int EVENTS_EACH = 2_000;

  private final DispatcherFixture f = new DispatcherFixture(DispatcherFixture.FAST_RETRIES,
      new InMemoryDeliveryQueue(), 8);
  private final Destination a = destination("acme", "a").build();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void everyAcceptedEventIsDeliveredExactlyOnceAndEveryRefusalIsCounted() throws Exception {
    f.start(a);
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicLong refused = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      Thread t = new Thread(() -> {
        try {
          go.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < EVENTS_EACH; i++) {
          AuditEvent event = groupEvent("acme/sub");
          if (f.dispatcher.stream(event)) {
            accepted.add(event.id());
          } else {
            refused.incrementAndGet();
          }
        }
      }, "host-" + p);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).as("a host thread is still streaming").isFalse();
    }

    assertThat(f.dispatcher.flush(Duration.ofSeconds(30))).isTrue();
    List<String> delivered = f.sinks.delivered(a.id()).stream().map(e -> e.event().id()).toList();
    assertThat(delivered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accepted);
    assertThat(accepted.size() + refused.get()).isEqualTo(PRODUCERS * EVENTS_EACH);
    assertThat(f.dispatcher.stats().accepted()).isEqualTo(accepted.size());
    assertThat(f.dispatcher.stats().refusedFull()).isEqualTo(refused.get());
    assertThat(f.dispatcher.droppedCount()).isEqualTo(refused.get());
  }

  @Test
  void statsCountEventsOfGroupsWithoutDestinationsAsAcceptedBesideTheRoutedOnes() {
    f.start(a);
    assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    assertThat(f.dispatcher.stream(groupEvent("elsewhere"))).isTrue();
    assertThat(f.dispatcher.stream(groupEvent("elsewhere/sub"))).isTrue();

    assertThat(f.flush()).isTrue();
    assertThat(f.dispatcher.stats().accepted()).isEqualTo(3);
    assertThat(f.sinks.delivered(a.id())).hasSize(1);
  }
}
