package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The process that {@link OutboxKillTest} kills: offers events to an outbox in group-committed batches,
 * and prints the id of each batch's last event once the batch committed. It never closes the outbox.
 *
 * <p>Arguments: the data folder, the batch size, the most batches to write (so that it ends by itself
 * should nobody kill it).
 */
final class OutboxWriterProcess {
  static final DestinationId DESTINATION = DestinationId.of("dest-a");

  private OutboxWriterProcess() {}

  static String eventId(long n) {
    return String.format("e-%08d", n);
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int batchSize = Integer.parseInt(args[1]);
    int maxBatches = Integer.parseInt(args[2]);
    EmbeddedStore store = EmbeddedStore.open(dir, TestEvents::decode);
    PrintStream out = System.out;
    long next = 0;
    for (int b = 0; b < maxBatches; b++) {
      List<QueuedDelivery> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        batch.add(TestEvents.delivery(DESTINATION, eventId(next++), Instant.now()));
      }
      if (store.outbox().offer(batch).stream().anyMatch(o -> o != Offer.ACCEPTED)) {
        throw new IllegalStateException("a delivery was refused");
      }
      out.println(eventId(next - 1));
      out.flush();
    }
  }
}
