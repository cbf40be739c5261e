package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.LogText;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * lock-free insert into a bounded {@link IngressQueue}, which allocates nothing for a streamed event
 * (the event itself is queued, and reads no clock) and wakes the
 * routing thread only rarely ({@link RouterWakeup}): while events flow the router naps and looks again
 * within about a millisecond; when it has slept, the first event wakes it. Encoding, filtering and the
 * delivery queue (which may be durable, and slow) all happen here.
 *
 * <p>When an event was accepted ({@link QueuedDelivery#enqueuedAt()}, from which its age, and so its
 * ageing out, is counted) is found by the router when it drains the event, to the millisecond, from the
 * marks it keeps ({@link AcceptanceStamps}): never later than the acceptance, and earlier by at most the
 * time the router was away from the ingress. With a clock of the host's, the host's thread reads it for
 * each event instead.
 *
 * <p>Accounting: an event counts as accepted from the moment its slot in the ingress is claimed, and as
 * settled once the router routed it (or failed to) or {@link #stop} gave it back; {@link #idle} is true
 * when every accepted event is settled, which {@code flush} and {@code close} wait for.
 *
 * <p>Thread-safe: {@link #offer}, {@link #idle}, {@link #accepted} and {@link #closeIngress} from any
 * thread; {@link #start} and {@link #stop} once each, from the dispatcher.
 */
final class EventRouter {
  private static final Logger log = LoggerFactory.getLogger(EventRouter.class);
  /** The most events routed in one batch, and so offered to the delivery queue in one call. */
  static final int MAX_BATCH = 512;

  /** What became of an offer to the ingress queue. */
  enum Admission { ACCEPTED, FULL, CLOSED }

  /** A streamed event, when the host handed it over, and the future of a submitter (or null). */
  record Ingress(AuditEvent event, Instant streamedAt, CompletableFuture<Void> stored) {}

  /** What {@link #offer} queues for a submitter: a streamed event is queued as itself. */
  private record Submitted(AuditEvent event, CompletableFuture<Void> stored) {}

  /** One delivery of the batch being routed, and whose it is. */
  private record Routed(Ingress in, Destination destination, DeliveryLane lane) implements OfferOutcomes.Target {
    @Override
    public AuditEvent event() {
      return in.event();
    }
  }

  private final IngressQueue ingress;
  private final RouterWakeup wakeup;
  /** Taken by whoever drains the ingress: the routing thread, and {@link #stop}. */
  private final Object drainLock = new Object();
  /** Accepted events routed, failed or given back: {@link #idle} when it reaches the ingress' claims. */
  private final AtomicLong settled = new AtomicLong();
  private final RoutingTable table;
  private final Function<DestinationId, DeliveryLane> lanes;
  private final DeliveryQueue queue;
  private final Runnable progress;
  private final AcceptanceStamps stamps;
  private final DropCounter queueFailures = new DropCounter();
  // Guarded by drainLock: the batch being drained, and the last stamp turned into an Instant (events
  // accepted in the same millisecond share it).
  private final Object[] drained = new Object[MAX_BATCH];
  private final long[] drainedStamps = new long[MAX_BATCH];
  private long lastStamp = Long.MIN_VALUE;
  private Instant lastInstant;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param capacity the ingress bound, 1 to {@link IngressQueue#MAX_CAPACITY}
   * @param lanes the lane of a destination, or null when it has none (deleted meanwhile)
   * @param progress called when the router becomes idle, to wake {@code flush}
   */
  EventRouter(int capacity, RoutingTable table, Function<DestinationId, DeliveryLane> lanes, DeliveryQueue queue,
      Runnable progress, Clock clock) {
    this(capacity, table, lanes, queue, progress, clock, RouterWakeup.Timing.DEFAULT);
  }

  /** As the other constructor, napping and sleeping as {@code timing} says. */
  EventRouter(int capacity, RoutingTable table, Function<DestinationId, DeliveryLane> lanes, DeliveryQueue queue,
      Runnable progress, Clock clock, RouterWakeup.Timing timing) {
    this.ingress = new IngressQueue(capacity);
    this.wakeup = new RouterWakeup(ingress, timing);
    this.table = table;
    this.lanes = lanes;
    this.queue = queue;
    this.progress = progress;
    this.stamps = new AcceptanceStamps(clock);
    // Before any event can be claimed: every event then has a mark at or below its index.
    stamps.mark(ingress::claimed);
  }

  /**
   * Queues an event for routing; the time of its acceptance ({@link AcceptanceStamps}) becomes its
   * deliveries' {@link QueuedDelivery#enqueuedAt()}. Never blocks; lock-free, and
   * allocation-free when {@code stored} is null.
   *
   * @param stored completed once the event's deliveries are stored in the delivery queue, or null
   */
  Admission offer(AuditEvent event, CompletableFuture<Void> stored) {
    Object element = stored == null ? event : new Submitted(event, stored);
    long index = stamps.perEvent() ? ingress.offer(element, stamps.now()) : ingress.offer(element);
    if (index >= 0) {
      wakeup.added(index);
      return Admission.ACCEPTED;
    }
    if (index == IngressQueue.FULL) {
      wakeup.full();
      return Admission.FULL;
    }
    return Admission.CLOSED;
  }

  /** Whether every accepted event has been routed (or given back by {@link #stop}). */
  boolean idle() {
    // Settled first: it never passes the claims, so equal means nothing claimed then was unsettled.
    long s = settled.get();
    return s == ingress.claimed();
  }

  /** Whether the routing thread sleeps now, waiting for the next event to wake it. */
  boolean sleeping() {
    return wakeup.sleeping();
  }

  /** Events accepted into the ingress since start. */
  long accepted() {
    return ingress.claimed();
  }

  /** Refuses every offer from now on; the routing thread goes on with what was accepted. */
  void closeIngress() {
    ingress.close();
  }

  /** Whether the routing thread was started, is not stopped, and is alive. */
  synchronized boolean alive() {
    return running && thread != null && thread.isAlive();
  }

  /** Starts the routing thread. */
  synchronized void start() {
    running = true;
    thread = new Thread(this::loop, "audit-stream-router");
    thread.setDaemon(true);
    wakeup.wakes(thread);
    thread.start();
  }

  /**
   * Stops the routing thread (closing the ingress, if {@link #closeIngress} did not) and returns the
   * events that were accepted but not routed: those waiting in the ingress queue, including those of
   * offers that were under way (waited for, up to {@code wait}: an offer never blocks, so it ends quickly).
   */
  synchronized List<Ingress> stop(Duration wait) {
    ingress.close();
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
      int n;
      synchronized (drainLock) {
        n = takeBatch();
        for (int i = 0; i < n; i++) {
          left.add(ingressAt(i));
        }
      }
      if (n > 0) {
        settled.addAndGet(n);
        continue;
      }
      if (ingress.isEmpty() || System.nanoTime() - deadline > 0) {
        break;
      }
      // An offer claimed its slot just before the close and is about to publish its event.
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
    }
    long unsettled = ingress.claimed() - settled.get();
    if (unsettled > 0) {
      log.warn("{} events were still being routed when routing stopped", unsettled);
    }
    return left;
  }

  private void loop() {
    List<Ingress> batch = new ArrayList<>(MAX_BATCH);
    while (running) {
      batch.clear();
      synchronized (drainLock) {
        int n = takeBatch();
        for (int i = 0; i < n; i++) {
          batch.add(ingressAt(i));
        }
      }
      if (batch.isEmpty()) {
        wakeup.idle(ingress::isEmpty);
        continue;
      }
      wakeup.worked();
      try {
        route(batch);
      } catch (RuntimeException e) {
        log.warn("Routing {} events failed: they are dropped: {}", batch.size(),
            batch.stream().map(in -> LogText.escape(in.event().id())).toList(), e);
        for (Ingress in : batch) {
          fail(in, new AuditStreamException("event " + in.event().id() + " could not be routed", e));
        }
      } finally {
        settled.addAndGet(batch.size());
        if (idle()) {
          progress.run();
        }
      }
    }
  }

  /** Drains up to a batch into {@link #drained}, with the times of acceptance; under {@link #drainLock}. */
  private int takeBatch() {
    if (stamps.perEvent()) {
      return ingress.drain(drained, drainedStamps, MAX_BATCH);
    }
    long first = ingress.taken();
    stamps.mark(ingress::claimed);
    int n = ingress.drain(drained, drainedStamps, MAX_BATCH);
    for (int i = 0; i < n; i++) {
      drainedStamps[i] = stamps.stampOf(first + i);
    }
    stamps.taken(first + n);
    return n;
  }

  /** The {@code i}-th event just drained, as routed; under {@link #drainLock}. */
  private Ingress ingressAt(int i) {
    Object e = drained[i];
    drained[i] = null;
    long stamp = drainedStamps[i];
    if (stamp != lastStamp || lastInstant == null) {
      lastStamp = stamp;
      lastInstant = Instant.ofEpochMilli(stamp);
    }
    return e instanceof Submitted s ? new Ingress(s.event(), lastInstant, s.stored())
        : new Ingress((AuditEvent) e, lastInstant, null);
  }

  /** Routes a batch: encodes, filters, offers every delivery in one call, then wakes lanes and completes futures. */
  void route(List<Ingress> batch) {
    List<QueuedDelivery> deliveries = new ArrayList<>();
    List<Routed> owners = new ArrayList<>();
    for (Ingress in : batch) {
      AuditEvent event = in.event();
      List<Destination> targets = targetsOf(event);
      if (targets.isEmpty()) {
        // Unescaped: build() allows no control character in an event's id or type, and this runs per event.
        log.debug("Event {} ({}) goes to no destination", event.id(), event.eventType());
        continue;
      }
      EncodedEvent encoded;
      try {
        encoded = new EncodedEvent(event, AuditEventJson.encode(event));
      } catch (IllegalArgumentException e) {
        log.warn("Event {} ({}) cannot be encoded and is dropped: {}", LogText.escape(event.id()),
            LogText.escape(event.eventType()), LogText.escape(e.getMessage()));
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
    OfferOutcomes.settle(owners, outcomes, queue, lanes);
  }

  /** The queue could not store the batch: every delivery is dropped, and submitters learn why. */
  private void queueFailed(List<QueuedDelivery> deliveries, List<Routed> owners, RuntimeException e) {
    if (queueFailures.drop()) {
      log.error("The delivery queue failed to store {} deliveries, which are dropped ({} failures so far); events: {}",
          deliveries.size(), queueFailures.count(),
          deliveries.stream().map(QueuedDelivery::eventId).distinct().map(LogText::escape).toList(), e);
    } else {
      log.warn("The delivery queue failed again: {} deliveries dropped; events: {}", deliveries.size(),
          deliveries.stream().map(QueuedDelivery::eventId).distinct().map(LogText::escape).toList());
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
    if (ns == null) {
      return List.of();
    }
    // A loop, not a stream: this runs for every event, and most groups have one or two destinations.
    List<Destination> all = table.destinationsOf(ns.topLevelGroup());
    List<Destination> wanting = null;
    for (int i = 0; i < all.size(); i++) {
      Destination d = all.get(i);
      boolean wants = d.wants(event);
      if (wanting == null && !wants) {
        wanting = new ArrayList<>(all.subList(0, i));
      } else if (wanting != null && wants) {
        wanting.add(d);
      }
    }
    return wanting == null ? all : wanting;
  }

  private static void fail(Ingress in, AuditStreamException e) {
    if (in.stored() != null) {
      in.stored().completeExceptionally(e);
    }
  }
}
