package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing thread ({@code audit-stream-router}): takes streamed events from the bounded ingress
 * queue, encodes each once, and queues one delivery per destination that wants it, waking that
 * destination's lane.
 *
 * <p>Keeping this off the host's thread is the point: the host only pays for {@link #offer}, one
 * non-blocking insert into a bounded queue. Encoding, filtering and the delivery queue (which may be
 * durable, and slow) all happen here.
 *
 * <p>Thread-safe: {@link #offer} and {@link #idle} from any thread; {@link #start} and {@link #stop}
 * once each, from the dispatcher.
 */
final class EventRouter {
  private static final Logger log = LoggerFactory.getLogger(EventRouter.class);
  private static final long POLL_MILLIS = 100;

  /** A streamed event and when the host handed it over. */
  private record Ingress(AuditEvent event, Instant streamedAt) {}

  private final BlockingQueue<Ingress> ingress;
  /** Events accepted by {@link #offer} and not yet fully routed; zero means the router is idle. */
  private final AtomicLong unrouted = new AtomicLong();
  private final RoutingTable table;
  private final Function<DestinationId, DeliveryLane> lanes;
  private final DeliveryQueue queue;
  private final Runnable progress;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param capacity the ingress bound
   * @param lanes the lane of a destination, or null when it has none (deleted meanwhile)
   * @param progress called when the router becomes idle, to wake {@code flush}
   */
  EventRouter(int capacity, RoutingTable table, Function<DestinationId, DeliveryLane> lanes, DeliveryQueue queue,
      Runnable progress) {
    this.ingress = new ArrayBlockingQueue<>(capacity);
    this.table = table;
    this.lanes = lanes;
    this.queue = queue;
    this.progress = progress;
  }

  /** Queues an event for routing; false when the ingress queue is full. Never blocks. */
  boolean offer(AuditEvent event, Instant streamedAt) {
    // Counted before the insert so that flush never sees an accepted event as neither queued nor routed.
    unrouted.incrementAndGet();
    if (ingress.offer(new Ingress(event, streamedAt))) {
      return true;
    }
    unrouted.decrementAndGet();
    return false;
  }

  /** Whether every accepted event has been routed. */
  boolean idle() {
    return unrouted.get() == 0;
  }

  /** Starts the routing thread. */
  synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "audit-stream-router");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the routing thread; returns how many events were still waiting to be routed. */
  synchronized int stop(Duration wait) {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int left = ingress.size();
    ingress.clear();
    return left;
  }

  private void loop() {
    while (running) {
      Ingress next;
      try {
        next = ingress.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (next == null) {
        continue;
      }
      try {
        route(next);
      } catch (RuntimeException e) {
        log.warn("Routing event {} failed; it is dropped", next.event().id(), e);
      } finally {
        if (unrouted.decrementAndGet() == 0) {
          progress.run();
        }
      }
    }
  }

  private void route(Ingress in) {
    AuditEvent event = in.event();
    Namespace ns = event.namespace().orElse(null);
    List<Destination> targets = ns == null ? List.of()
        : table.destinationsOf(ns.topLevelGroup()).stream().filter(d -> d.wants(event)).toList();
    if (targets.isEmpty()) {
      log.debug("Event {} ({}) goes to no destination", event.id(), event.eventType());
      return;
    }
    EncodedEvent encoded;
    try {
      encoded = new EncodedEvent(event, AuditEventJson.encode(event));
    } catch (IllegalArgumentException e) {
      log.warn("Event {} ({}) cannot be encoded and is dropped: {}", event.id(), event.eventType(), e.getMessage());
      return;
    }
    for (Destination d : targets) {
      DeliveryLane lane = lanes.apply(d.id());
      if (lane == null) {
        continue;
      }
      if (queue.offer(new QueuedDelivery(d.id(), encoded, in.streamedAt()))) {
        log.debug("Event {} ({}) queued for destination {} ({})", event.id(), event.eventType(), d.id(), d.name());
        if (lanes.apply(d.id()) != lane) {
          // Deleted while we queued: its queue was emptied before our offer landed.
          queue.removeAll(d.id());
          continue;
        }
        lane.wake();
      } else {
        lane.dropped();
      }
    }
  }
}
