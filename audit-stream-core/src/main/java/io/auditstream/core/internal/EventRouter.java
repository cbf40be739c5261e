package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing thread ({@code audit-stream-router}): takes streamed events from the bounded ingress
 * queue in batches (what is there, up to {@value #MAX_BATCH} events, never waiting to fill one),
 * encodes each event once, finds the destinations that want it, and offers all of the batch's
 * deliveries to the delivery queue in one {@link DeliveryQueue#offer} call, which lets a durable queue
 * store them in one transaction. Then it wakes the lanes that got something, and completes the {@link
 * #offer submitters'} futures.
 *
 * <p>A delivery the queue refuses (its destination's backlog, or the whole queue, is at its bound) is
 * dropped for that destination alone: counted, logged with the event id, reported to the listener
 * (see {@link DeliveryLane#dropped}). The event's other destinations are not affected.
 *
 * <p>Keeping this off the host's thread is the point: the host only pays for {@link #offer}, one
 * non-blocking insert into a bounded queue. Encoding, filtering and the delivery queue (which may be
 * durable, and slow) all happen here.
 *
 * <p>Thread-safe: {@link #offer}, {@link #idle} and {@link #closeIngress} from any thread; {@link
 * #start} and {@link #stop} once each, from the dispatcher.
 */
final class EventRouter {
  private static final Logger log = LoggerFactory.getLogger(EventRouter.class);
  /** The most events routed in one batch, and so offered to the delivery queue in one call. */
  static final int MAX_BATCH = 512;
  private static final long POLL_MILLIS = 100;

  /** What became of an offer to the ingress queue. */
  enum Admission { ACCEPTED, FULL, CLOSED }

  /** A streamed event, when the host handed it over, and the future of a submitter (or null). */
  record Ingress(AuditEvent event, Instant streamedAt, CompletableFuture<Void> stored) {}

  /** One delivery of the batch being routed, and whose it is. */
  private record Routed(Ingress in, Destination destination, DeliveryLane lane) {}

  private final BlockingQueue<Ingress> ingress;
  /**
   * Offers under way and events accepted but not yet fully routed; zero means the router is idle and
   * no offer can still land in the ingress queue unseen.
   */
  private final AtomicLong unrouted = new AtomicLong();
  private final RoutingTable table;
  private final Function<DestinationId, DeliveryLane> lanes;
  private final DeliveryQueue queue;
  private final Runnable progress;
  private final DropCounter queueFailures = new DropCounter();
  private volatile boolean closing;
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

  /**
   * Queues an event for routing. Never blocks.
   *
   * @param stored completed once the event's deliveries are stored in the delivery queue, or null
   */
  Admission offer(AuditEvent event, Instant streamedAt, CompletableFuture<Void> stored) {
    // Counted before the check and the insert, so that neither flush nor close ever sees an accepted
    // event as neither queued nor routed.
    unrouted.incrementAndGet();
    if (closing) {
      offerEnded();
      return Admission.CLOSED;
    }
    if (ingress.offer(new Ingress(event, streamedAt, stored))) {
      return Admission.ACCEPTED;
    }
    offerEnded();
    return Admission.FULL;
  }

  private void offerEnded() {
    if (unrouted.decrementAndGet() == 0) {
      progress.run();
    }
  }

  /** Whether every accepted event has been routed. */
  boolean idle() {
    return unrouted.get() == 0;
  }

  /** Refuses every offer from now on; the routing thread goes on with what was accepted. */
  void closeIngress() {
    closing = true;
  }

  /** Starts the routing thread. */
  synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "audit-stream-router");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops the routing thread (after {@link #closeIngress}) and returns the events that were accepted
   * but not routed: those waiting in the ingress queue, including those of offers that were under way
   * (waited for, up to {@code wait}: an offer never blocks, so it ends quickly).
   */
  synchronized List<Ingress> stop(Duration wait) {
    closing = true;
    running = false;
    long deadline = System.nanoTime() + Math.max(1, wait.toNanos());
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Ingress> left = new ArrayList<>();
    while (true) {
      int drained = ingress.drainTo(left);
      if (drained > 0) {
        unrouted.addAndGet(-drained);
      }
      if (unrouted.get() <= 0 || System.nanoTime() - deadline > 0) {
        break;
      }
      // An offer that passed the closing check just before it was set is about to land (or back out).
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
    }
    if (unrouted.get() > 0) {
      log.warn("{} events were still being routed when routing stopped", unrouted.get());
    }
    return left;
  }

  private void loop() {
    List<Ingress> batch = new ArrayList<>(MAX_BATCH);
    while (running) {
      Ingress first;
      try {
        first = ingress.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (first == null) {
        continue;
      }
      batch.clear();
      batch.add(first);
      ingress.drainTo(batch, MAX_BATCH - 1);
      try {
        route(batch);
      } catch (RuntimeException e) {
        log.warn("Routing {} events failed: they are dropped: {}", batch.size(),
            batch.stream().map(in -> in.event().id()).toList(), e);
        for (Ingress in : batch) {
          fail(in, new AuditStreamException("event " + in.event().id() + " could not be routed", e));
        }
      } finally {
        if (unrouted.addAndGet(-batch.size()) == 0) {
          progress.run();
        }
      }
    }
  }

  /** Routes a batch: encodes, filters, offers every delivery in one call, then wakes lanes and completes futures. */
  void route(List<Ingress> batch) {
    List<QueuedDelivery> deliveries = new ArrayList<>();
    List<Routed> owners = new ArrayList<>();
    for (Ingress in : batch) {
      AuditEvent event = in.event();
      List<Destination> targets = targetsOf(event);
      if (targets.isEmpty()) {
        log.debug("Event {} ({}) goes to no destination", event.id(), event.eventType());
        continue;
      }
      EncodedEvent encoded;
      try {
        encoded = new EncodedEvent(event, AuditEventJson.encode(event));
      } catch (IllegalArgumentException e) {
        log.warn("Event {} ({}) cannot be encoded and is dropped: {}", event.id(), event.eventType(), e.getMessage());
        for (Destination d : targets) {
          DeliveryLane lane = lanes.apply(d.id());
          if (lane != null) {
            lane.dropped(event.id(), "cannot be encoded: " + e.getMessage());
          }
        }
        fail(in, new AuditStreamException("event " + event.id() + " cannot be encoded: " + e.getMessage(), e));
        continue;
      }
      for (Destination d : targets) {
        DeliveryLane lane = lanes.apply(d.id());
        if (lane != null) {
          deliveries.add(new QueuedDelivery(d.id(), encoded, in.streamedAt()));
          owners.add(new Routed(in, d, lane));
        }
      }
    }
    if (!deliveries.isEmpty()) {
      offerAll(deliveries, owners);
    }
    for (Ingress in : batch) {
      if (in.stored() != null) {
        // A no-op for a future already failed above.
        in.stored().complete(null);
      }
    }
  }

  private void offerAll(List<QueuedDelivery> deliveries, List<Routed> owners) {
    List<Offer> outcomes;
    try {
      outcomes = queue.offer(deliveries);
      if (outcomes == null || outcomes.size() != deliveries.size()) {
        throw new IllegalStateException("the delivery queue answered " + (outcomes == null ? "null" : outcomes.size()
            + " outcomes") + " for " + deliveries.size() + " deliveries");
      }
    } catch (RuntimeException e) {
      queueFailed(deliveries, owners, e);
      return;
    }
    OfferOutcomes.settle(owners.stream().map(r -> new OfferOutcomes.Routed(r.in().event(), r.destination(), r.lane()))
        .toList(), outcomes, queue, lanes);
  }

  /** The queue could not store the batch: every delivery is dropped, and submitters learn why. */
  private void queueFailed(List<QueuedDelivery> deliveries, List<Routed> owners, RuntimeException e) {
    if (queueFailures.drop()) {
      log.error("The delivery queue failed to store {} deliveries, which are dropped ({} failures so far); events: {}",
          deliveries.size(), queueFailures.count(), deliveries.stream().map(QueuedDelivery::eventId).distinct().toList(),
          e);
    } else {
      log.warn("The delivery queue failed again: {} deliveries dropped; events: {}", deliveries.size(),
          deliveries.stream().map(QueuedDelivery::eventId).distinct().toList());
    }
    String reason = "delivery queue failed: " + e.getClass().getSimpleName();
    for (Routed r : owners) {
      r.lane().dropped(r.in().event().id(), reason);
      fail(r.in(), new AuditStreamException("event " + r.in().event().id() + " was not stored: " + reason, e));
    }
  }

  /** The destinations that want {@code event}, active or not by the table's snapshot. */
  List<Destination> targetsOf(AuditEvent event) {
    Namespace ns = event.namespace().orElse(null);
    return ns == null ? List.of()
        : table.destinationsOf(ns.topLevelGroup()).stream().filter(d -> d.wants(event)).toList();
  }

  private static void fail(Ingress in, AuditStreamException e) {
    if (in.stored() != null) {
      in.stored().completeExceptionally(e);
    }
  }
}
