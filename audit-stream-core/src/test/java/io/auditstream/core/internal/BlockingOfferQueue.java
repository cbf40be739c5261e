package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A delivery queue whose {@link #offer} waits for a gate (at most 10 seconds): the worst case of a
 * slow durable queue, which must stall only the router, never the host.
 */
final class BlockingOfferQueue implements DeliveryQueue {
  final CountDownLatch gate = new CountDownLatch(1);
  final CountDownLatch offering = new CountDownLatch(1);
  private final InMemoryDeliveryQueue delegate = new InMemoryDeliveryQueue(1000);

  @Override
  public boolean offer(QueuedDelivery delivery) {
    offering.countDown();
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return delegate.offer(delivery);
  }

  @Override
  public List<QueuedDelivery> lease(DestinationId destination, int max) {
    return delegate.lease(destination, max);
  }

  @Override
  public void remove(Collection<QueuedDelivery> deliveries) {
    delegate.remove(deliveries);
  }

  @Override
  public void release(Collection<QueuedDelivery> deliveries) {
    delegate.release(deliveries);
  }

  @Override
  public int removeAll(DestinationId destination) {
    return delegate.removeAll(destination);
  }

  @Override
  public int size(DestinationId destination) {
    return delegate.size(destination);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Set<DestinationId> destinations() {
    return delegate.destinations();
  }
}
