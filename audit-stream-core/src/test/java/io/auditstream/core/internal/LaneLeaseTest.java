package io.auditstream.core.internal;

import static io.auditstream.core.internal.BatchSplitterTest.deliveries;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaneLeaseTest {
  private static final Instant NOW = Instant.EPOCH;
  private final DestinationId id = DestinationId.of("acme-siem");
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(100);
  private final LaneLease lease = new LaneLease(id, queue);
  private final List<QueuedDelivery> queued = deliveries(5);

  LaneLeaseTest() {
    queue.offer(queued);
  }

  @Test
  void keepsTheHeldBatchUntilItIsFinished() {
    List<QueuedDelivery> first = lease.heldOrLease(3, NOW);

    assertThat(first).containsExactlyElementsOf(queued.subList(0, 3));
    assertThat(lease.heldOrLease(3, NOW)).isSameAs(first);
    queue.remove(first);
    lease.finished();
    assertThat(lease.heldOrLease(3, NOW)).containsExactlyElementsOf(queued.subList(3, 5));
  }

  @Test
  void splitKeepsTheFirstEventAndLeasesTheOthersOneAtATimeInTheirPlaces() {
    lease.heldOrLease(lease.leaseSize(10), NOW);

    lease.split();

    assertThat(lease.heldOrLease(lease.leaseSize(10), NOW)).containsExactly(queued.get(0));
    for (int i = 1; i < 5; i++) {
      queue.remove(lease.take());
      assertThat(lease.heldOrLease(lease.leaseSize(10), NOW)).containsExactly(queued.get(i));
    }
    assertThat(lease.leaseSize(10)).isEqualTo(10);
  }

  @Test
  void takeHandsBackTheBatchForTheQueue() {
    List<QueuedDelivery> held = lease.heldOrLease(2, NOW);

    List<QueuedDelivery> taken = lease.take();
    lease.releaseQuietly(taken);

    assertThat(taken).isSameAs(held);
    assertThat(lease.take()).isEmpty();
    assertThat(lease.heldOrLease(5, NOW)).containsExactlyElementsOf(queued);
  }
}
