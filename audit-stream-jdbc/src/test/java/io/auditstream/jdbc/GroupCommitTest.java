package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final DestinationId B = DestinationId.of("dest-b");

  @TempDir Path dir;

  @Test
  void tenThousandDeliveriesOfferedInBatchesOfFiveHundredTakeOneTransactionPerBatch() {
    try (EmbeddedStore store = EmbeddedStore.open(dir, TestEvents::decode)) {
      JdbcOutbox outbox = store.outbox();
      List<List<QueuedDelivery>> batches = new ArrayList<>();
      int n = 0;
      for (int b = 0; b < 20; b++) {
        List<QueuedDelivery> batch = new ArrayList<>();
        // 250 events to two destinations each: 500 deliveries.
        for (int i = 0; i < 250; i++, n++) {
          batch.add(TestEvents.delivery(A, "e" + n, T0));
          batch.add(TestEvents.delivery(B, "e" + n, T0));
        }
        batches.add(batch);
      }
      long commitsBefore = OutboxProbe.commits(outbox);
      long started = System.nanoTime();

      for (List<QueuedDelivery> batch : batches) {
        assertThat(outbox.offer(batch)).hasSize(500).containsOnly(Offer.ACCEPTED);
      }

      long nanos = System.nanoTime() - started;
      assertThat(OutboxProbe.commits(outbox) - commitsBefore).isEqualTo(20);
      assertThat(outbox.size()).isEqualTo(10_000);
      assertThat(OutboxProbe.storedRows(outbox)).containsExactly(5_000, 10_000);
      System.out.printf("group commit: 10,000 deliveries (5,000 events) in 20 transactions, %d ms, %.0f deliveries/s%n",
          nanos / 1_000_000, 10_000 / (nanos / 1e9));
    }
  }
}
