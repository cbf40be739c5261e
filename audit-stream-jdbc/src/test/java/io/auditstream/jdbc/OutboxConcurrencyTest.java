package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxConcurrencyTest {
  private static final int WRITERS = 3;
  private static final int BATCHES = 40;
  private static final int EVENTS_PER_BATCH = 25;

  @TempDir Path dir;

  @Test
  void deliversEveryOfferedEventExactlyOnceWhileOffersLeasesAndRemovalsRunConcurrently() throws Exception {
    List<DestinationId> destinations = List.of(DestinationId.of("a"), DestinationId.of("b"));
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + destinations.size());
    try (EmbeddedStore store = EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode)
        .deliveredRetention(java.time.Duration.ZERO).open()) {
      JdbcOutbox outbox = store.outbox();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger writersLeft = new AtomicInteger(WRITERS);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          for (int b = 0; b < BATCHES; b++) {
            List<QueuedDelivery> batch = new ArrayList<>();
            for (int i = 0; i < EVENTS_PER_BATCH; i++) {
              String id = "w" + writer + "-" + b + "-" + i;
              destinations.forEach(d -> batch.add(TestEvents.delivery(d, id, T0)));
            }
            assertThat(outbox.offer(batch)).containsOnly(Offer.ACCEPTED);
          }
          if (writersLeft.decrementAndGet() == 0) {
            writing.set(false);
          }
          return null;
        }));
      }
      List<Future<List<String>>> consumers = new ArrayList<>();
      for (DestinationId d : destinations) {
        consumers.add(pool.submit(() -> {
          List<String> delivered = new ArrayList<>();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while ((writing.get() || outbox.size(d) > 0) && System.nanoTime() < deadline) {
            List<QueuedDelivery> leased = outbox.lease(d, 20, T0);
            leased.forEach(q -> delivered.add(q.eventId()));
            outbox.remove(leased);
          }
          return delivered;
        }));
      }
      for (Future<?> f : writers) {
        f.get(30, TimeUnit.SECONDS);
      }
      int expected = WRITERS * BATCHES * EVENTS_PER_BATCH;
      for (Future<List<String>> f : consumers) {
        List<String> delivered = f.get(30, TimeUnit.SECONDS);
        assertThat(delivered).hasSize(expected).doesNotHaveDuplicates();
      }
      assertThat(outbox.size()).isZero();
      assertThat(OutboxProbe.storedRows(outbox)).containsExactly(0, 0);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
