package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeliveryEngine}: routes streamed events to destinations and delivers them.
 *
 * <p>The path of an event: {@link #stream} (host's thread: a lookup and a bounded, non-blocking
 * insert) → {@link EventRouter} (one thread: encode once, filter, queue one delivery per destination)
 * → {@link DeliveryQueue} → {@link DeliveryLane} (one per destination, on a shared pool of {@code
 * audit-stream-delivery-N} daemon threads, at most one attempt in flight per destination, retries
 * scheduled on an {@code audit-stream-retry-N} thread without sleeping).
 *
 * <p>Drops are never silent: an event refused by the full ingress queue is counted ({@link
 * #droppedCount()}) and logged at WARN (first time, then at most every {@link
 * DropCounter#WARN_INTERVAL}); a delivery refused by the full delivery queue is counted on its
 * destination's status and logged the same way.
 *
 * <p>Failing destinations: retries follow the {@link RetryPolicy}; after {@value
 * RetryDecider#CIRCUIT_BREAKER_THRESHOLD} consecutive failed attempts a destination's circuit opens
 * and it is probed once per {@code maxBackoff} until it accepts an event again (see {@link
 * RetryDecider}).
 *
 * <p>Destinations: the routing table is loaded from the store at {@link #start()} and kept current
 * through {@link #destinationSaved} and {@link #destinationDeleted}. An inactive destination gets
 * nothing new; what it had queued stays queued until it is active again or deleted (and {@link
 * #flush} does not wait for it). Deleting a destination drops its queue and closes its sink.
 *
 * <p>Thread-safe: every method of {@link DeliveryEngine} may be called from any thread.
 */
final class Dispatcher implements DeliveryEngine {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** The longest a flush waits for a signal before it looks again. */
  private static final long FLUSH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How long close waits for the router and delivery threads after the flush. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(1);

  private final DestinationStore store;
  private final DeliveryQueue queue;
  private final Clock clock;
  private final int ingressCapacity;
  private final RoutingTable table = new RoutingTable();
  private final ConcurrentHashMap<DestinationId, DeliveryLane> lanes = new ConcurrentHashMap<>();
  private final DropCounter ingressDrops = new DropCounter();
  private final ExecutorService deliveryPool;
  private final ScheduledThreadPoolExecutor retryTimer;
  private final LaneContext laneContext;
  private final EventRouter router;
  private final Object progress = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** See {@link DeliveryEngine#create}. */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock) {
    this(store, sinks, queue, retryPolicy, ingressCapacity, clock, null);
  }

  /** As {@link DeliveryEngine#create}; a non-null {@code scheduler} replaces the retry timer (for tests). */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock, RetryScheduler scheduler) {
    if (ingressCapacity < 1) {
      throw new IllegalArgumentException("ingressCapacity must be at least 1 (was " + ingressCapacity + ")");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ingressCapacity = ingressCapacity;
    this.deliveryPool = Executors.newCachedThreadPool(new DaemonThreadFactory("audit-stream-delivery"));
    this.retryTimer = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("audit-stream-retry"));
    // Cancelled retries (deleted destinations) must not linger in the timer's queue.
    retryTimer.setRemoveOnCancelPolicy(true);
    this.laneContext = new LaneContext(queue, Objects.requireNonNull(sinks, "sinks"),
        Objects.requireNonNull(retryPolicy, "retryPolicy"), clock, deliveryPool,
        scheduler != null ? scheduler : RetryScheduler.of(retryTimer), this::signalProgress);
    this.router = new EventRouter(ingressCapacity, table, lanes::get, queue, this::signalProgress);
  }

  /** Leases a durable queue kept from before a restart are released first. */
  @Override
  public void start() {
    if (!started.compareAndSet(false, true) || closed.get()) {
      return;
    }
    List<Destination> all = store.findAll();
    // Lanes before the table: the router skips destinations that have no lane.
    all.forEach(d -> lanes.computeIfAbsent(d.id(), id -> new DeliveryLane(d, laneContext)));
    table.load(all);
    queue.releaseAllLeases();
    for (DestinationId id : queue.destinations()) {
      DeliveryLane lane = lanes.get(id);
      if (lane != null) {
        lane.wake();
      } else {
        int removed = queue.removeAll(id);
        log.warn("Removed {} queued deliveries of destination {}, which no longer exists", removed, id);
      }
    }
    router.start();
    log.debug("Delivery engine started with {} destinations", all.size());
  }

  /** A lock-free lookup in the routing table, then a non-blocking offer to the router's queue. */
  @Override
  public boolean stream(AuditEvent event) {
    if (closed.get()) {
      return false;
    }
    Optional<Namespace> ns = event.namespace();
    if (ns.isEmpty() || !table.hasActiveDestination(ns.get().topLevelGroup())) {
      log.debug("Event {} ({}) belongs to no group with an active destination", event.id(), event.eventType());
      return true;
    }
    if (router.offer(event, clock.instant())) {
      return true;
    }
    if (ingressDrops.drop()) {
      log.warn("Audit event queue full ({} events): dropping events; {} dropped since start",
          ingressCapacity, ingressDrops.count());
    }
    return false;
  }

  /** Sleeps on a monitor that lanes and the router signal, looking again at least every 10 ms. */
  @Override
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      if (drained()) {
        return true;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      synchronized (progress) {
        try {
          // Bounded wait: a signal that came before we got here is not lost for long.
          TimeUnit.NANOSECONDS.timedWait(progress, Math.min(remaining, FLUSH_POLL_NANOS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return drained();
        }
      }
    }
  }

  /** After the flush, waits up to a second each for the router and the delivery threads. */
  @Override
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean drained = started.get() && flush(timeout);
    int unrouted = router.stop(STOP_WAIT);
    lanes.values().forEach(DeliveryLane::retire);
    retryTimer.shutdownNow();
    deliveryPool.shutdownNow();
    try {
      deliveryPool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size() + unrouted;
    if (left > 0) {
      log.warn("Audit streaming closed with {} deliveries left undelivered ({} events not routed yet)",
          left, unrouted);
    } else {
      log.debug("Audit streaming closed; everything was delivered (flushed: {})", drained);
    }
  }

  @Override
  public long droppedCount() {
    return ingressDrops.count();
  }

  @Override
  public DestinationStatus status(DestinationId id) {
    DeliveryLane lane = lanes.get(id);
    if (lane != null) {
      return lane.status();
    }
    DestinationStatus empty = DestinationStatus.empty(id);
    int pending = queue.size(id);
    return pending == 0 ? empty : new DestinationStatus(id, pending, 0, 0, 0, 0,
        empty.lastSuccessAt(), empty.lastFailureAt(), empty.lastError());
  }

  @Override
  public boolean enqueueDirect(Destination destination, AuditEvent event) {
    if (closed.get()) {
      return false;
    }
    EncodedEvent encoded = new EncodedEvent(event, AuditEventJson.encode(event));
    DeliveryLane lane = lanes.computeIfAbsent(destination.id(), id -> new DeliveryLane(destination, laneContext));
    if (!queue.offer(new QueuedDelivery(destination.id(), encoded, clock.instant()))) {
      lane.dropped();
      return false;
    }
    lane.wake();
    return true;
  }

  @Override
  public void destinationSaved(Destination destination) {
    if (closed.get()) {
      return;
    }
    DeliveryLane created = new DeliveryLane(destination, laneContext);
    DeliveryLane existing = lanes.putIfAbsent(destination.id(), created);
    table.put(destination);
    if (existing != null) {
      existing.update(destination);
    } else {
      created.wake();
    }
  }

  @Override
  public void destinationDeleted(Destination destination) {
    table.remove(destination.id());
    DeliveryLane lane = lanes.remove(destination.id());
    if (lane != null) {
      lane.retire();
    }
    int removed = queue.removeAll(destination.id());
    if (removed > 0) {
      log.info("Destination {} ({}) deleted with {} deliveries pending; they are dropped",
          destination.id(), destination.name(), removed);
    }
    signalProgress();
  }

  private boolean drained() {
    if (!router.idle()) {
      return false;
    }
    for (DeliveryLane lane : lanes.values()) {
      if (!lane.paused() && queue.size(lane.id()) > 0) {
        return false;
      }
    }
    return true;
  }

  private void signalProgress() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }
}
