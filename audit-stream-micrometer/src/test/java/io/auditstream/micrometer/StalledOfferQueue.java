package io.auditstream.micrometer;

import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory delivery queue whose offers wait until the test opens the gate (at most 10 seconds): the
 * streamer's router stalls in its offer, and its ingress queue fills up. Every other call goes straight to
 * the in-memory queue.
 */
final class StalledOfferQueue {
  /** Counted down when the router is in an offer, waiting. */
  final CountDownLatch offering = new CountDownLatch(1);
  final CountDownLatch gate = new CountDownLatch(1);
  final DeliveryQueue queue;

  StalledOfferQueue() {
    DeliveryQueue memory = new InMemoryDeliveryQueue();
    // A proxy rather than a forwarding class: one method differs, of the many the interface has.
    this.queue = (DeliveryQueue) Proxy.newProxyInstance(DeliveryQueue.class.getClassLoader(),
        new Class<?>[] {DeliveryQueue.class}, (proxy, method, args) -> {
          if (method.getName().equals("offer")) {
            offering.countDown();
            gate.await(10, TimeUnit.SECONDS);
          }
          try {
            return method.invoke(memory, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
