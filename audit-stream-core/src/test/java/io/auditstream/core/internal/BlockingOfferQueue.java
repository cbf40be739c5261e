package io.auditstream.core.internal;

import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.fixtures.ForwardingDeliveryQueue;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A delivery queue whose {@link #offer} waits for a gate (at most 10 seconds): the worst case of a
 * slow durable queue, which must stall only the router, never the host.
 */
final class BlockingOfferQueue extends ForwardingDeliveryQueue {
  final CountDownLatch gate = new CountDownLatch(1);
  final CountDownLatch offering = new CountDownLatch(1);

  BlockingOfferQueue() {
    super(new InMemoryDeliveryQueue(1000));
  }

  @Override
  public List<Offer> offer(List<QueuedDelivery> deliveries) {
    offering.countDown();
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return super.offer(deliveries);
  }
}
