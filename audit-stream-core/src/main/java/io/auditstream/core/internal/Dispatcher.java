package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.DeliveryStats;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.internal.EventRouter.Admission;
import io.auditstream.core.internal.EventRouter.Ingress;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeliveryEngine}: routes streamed events to destinations and delivers them.
 *
 * <p>The path of an event: {@link #stream} or {@link #submit} (host's thread: a lookup and a bounded,
 * non-blocking insert) → {@link EventRouter} (one thread: batches of events, each encoded once,
 * filtered, all their deliveries offered to the queue in one call) → {@link DeliveryQueue} (bounded
 * per destination) → {@link DeliveryLane} (one per destination, on a shared pool of {@code
 * audit-stream-delivery-N} daemon threads, at most one attempt in flight per destination, waits
 * scheduled on an {@code audit-stream-retry-N} thread without sleeping).
 *
 * <p>Losses are never silent. An event refused by the full ingress queue is refused ({@code stream}
 * returns false), counted and logged at WARN (first time, then at most every {@link
 * DropCounter#WARN_INTERVAL}). A delivery the queue refuses (its destination's backlog at its bound)
 * is dropped for that destination alone: counted on its status and in {@link #stats()}, reported to
 * the {@link DeliveryListener}, logged with its event id. Given-up deliveries become dead letters,
 * logged with their ids and reported likewise.
 *
 * <p>Failing destinations: a failed batch is due again on the {@link RetryPolicy}'s schedule and the
 * lane waits for it, so a destination that is down is probed with its oldest batch alone; deliveries
 * older than the policy's maximum age become dead letters, when leased and by a sweep every {@code
 * sweepInterval} (see {@link DeliveryLane}).
 *
 * <p>Destinations: the routing table is loaded from the store at {@link #start()} and kept current
 * through {@link #destinationSaved} and {@link #destinationDeleted}. An inactive destination gets
 * nothing new; what it had queued stays queued until it is active again or deleted (and {@link
 * #flush} does not wait for it). Deleting a destination drops its queue and closes its sink.
 *
 * <p>Closing: see {@link #close(Duration)}.
 *
 * <p>Thread-safe: every method of {@link DeliveryEngine} may be called from any thread.
 */
final class Dispatcher implements DeliveryEngine {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** How often aged-out deliveries are swept into dead letters unless configured otherwise. */
  static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
  /** The longest a flush waits for a signal before it looks again. */
  private static final long FLUSH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** How long close waits for the router and for the delivery threads. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(1);
  /** How long close waits for the report of what is left undelivered (the listener may be slow). */
  private static final Duration REPORT_WAIT = Duration.ofSeconds(10);

  private final DestinationStore store;
  private final DeliveryQueue queue;
  private final Clock clock;
  private final int ingressCapacity;
  private final Duration sweepInterval;
  private final RoutingTable table = new RoutingTable();
  private final ConcurrentHashMap<DestinationId, DeliveryLane> lanes = new ConcurrentHashMap<>();
  private final DropCounter ingressDrops = new DropCounter();
  private final EngineCounters counters = new EngineCounters();
  private final ExecutorService deliveryPool;
  private final ScheduledThreadPoolExecutor retryTimer;
  private final ExecutorService callbackPool;
  private final Executor callbacks;
  private final LaneContext laneContext;
  private final EventRouter router;
  private final Object progress = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ScheduledFuture<?> sweeper;

  /** See {@link DeliveryEngine#create}. */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock, DeliveryListener listener) {
    this(store, sinks, queue, retryPolicy, ingressCapacity, clock, listener, null, DEFAULT_SWEEP_INTERVAL);
  }

  /**
   * As {@link DeliveryEngine#create}; a non-null {@code scheduler} replaces the retry timer (for tests),
   * and aged deliveries are swept every {@code sweepInterval}.
   */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock, DeliveryListener listener, RetryScheduler scheduler, Duration sweepInterval) {
    if (ingressCapacity < 1) {
      throw new IllegalArgumentException("ingressCapacity must be at least 1 (was " + ingressCapacity + ")");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ingressCapacity = ingressCapacity;
    this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
    this.deliveryPool = Executors.newCachedThreadPool(new DaemonThreadFactory("audit-stream-delivery"));
    this.retryTimer = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("audit-stream-retry"));
    // Cancelled retries (deleted destinations) must not linger in the timer's queue.
    retryTimer.setRemoveOnCancelPolicy(true);
    this.callbackPool = Executors.newSingleThreadExecutor(new DaemonThreadFactory("audit-stream-callback"));
    // Completes submitters' futures off the routing thread, so that their dependent stages never stall
    // routing; once the pool is shut down, on the completing thread.
    this.callbacks = task -> {
      try {
        callbackPool.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
    this.laneContext = new LaneContext(queue, Objects.requireNonNull(sinks, "sinks"),
        new RetryDecider(Objects.requireNonNull(retryPolicy, "retryPolicy")), clock, deliveryPool,
        scheduler != null ? scheduler : RetryScheduler.of(retryTimer), this::signalProgress, counters,
        new ListenerNotifier(Objects.requireNonNull(listener, "listener")));
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
    if (!sweepInterval.isZero() && !sweepInterval.isNegative()) {
      sweeper = retryTimer.scheduleWithFixedDelay(this::sweepAgedDeliveries, sweepInterval.toNanos(),
          sweepInterval.toNanos(), TimeUnit.NANOSECONDS);
    }
    log.debug("Delivery engine started with {} destinations", all.size());
  }

  /** A lock-free lookup in the routing table, then a non-blocking offer to the router's queue. */
  @Override
  public boolean stream(AuditEvent event) {
    return admit(event, null);
  }

  @Override
  public CompletableFuture<Void> submit(AuditEvent event) {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    CompletableFuture<Void> result = new CompletableFuture<>();
    stored.whenCompleteAsync((v, e) -> {
      if (e != null) {
        result.completeExceptionally(e);
      } else {
        result.complete(null);
      }
    }, callbacks);
    admit(event, stored);
    return result;
  }

  /** Admits an event; completes or fails {@code stored} (when given) unless the router will. */
  private boolean admit(AuditEvent event, CompletableFuture<Void> stored) {
    if (closed.get()) {
      return refusedClosed(event, stored);
    }
    Optional<Namespace> ns = event.namespace();
    if (ns.isEmpty() || !table.hasActiveDestination(ns.get().topLevelGroup())) {
      log.debug("Event {} ({}) belongs to no group with an active destination", event.id(), event.eventType());
      counters.accepted();
      if (stored != null) {
        stored.complete(null);
      }
      return true;
    }
    Admission admission = router.offer(event, clock.instant(), stored);
    if (admission == Admission.ACCEPTED) {
      counters.accepted();
      return true;
    }
    if (admission == Admission.CLOSED) {
      return refusedClosed(event, stored);
    }
    counters.refusedFull();
    if (ingressDrops.drop()) {
      log.warn("Audit event queue full ({} events): refusing events, such as {}; {} refused since start",
          ingressCapacity, event.id(), ingressDrops.count());
    }
    if (stored != null) {
      stored.completeExceptionally(new AuditStreamException("the audit event queue is full (" + ingressCapacity
          + " events): event " + event.id() + " was not accepted"));
    }
    return false;
  }

  private boolean refusedClosed(AuditEvent event, CompletableFuture<Void> stored) {
    counters.refusedClosed();
    if (stored != null) {
      stored.completeExceptionally(new AuditStreamException("audit streamer is closed: event " + event.id()
          + " was not accepted"));
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

  /**
   * Refuses new events at once, flushes for up to {@code timeout}, stops the router (taking back the
   * events it had not routed), retires every lane and waits up to a second for the delivery threads.
   * Then what is left undelivered is accounted for by an {@link UndeliveredReport}: with an {@link
   * InMemoryDeliveryQueue}, every delivery it still holds, and every event that was accepted but not
   * routed, is dropped with reason {@code "closed"} (logged with the event ids, counted, reported to the
   * listener); with any other queue, what it holds stays there (logged as a count) and only the unrouted
   * events are reported. The report runs on an {@code audit-stream-close} thread (the listener is never called on the
   * host's), waited for up to {@link #REPORT_WAIT}.
   */
  @Override
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    router.closeIngress();
    boolean drained = started.get() && flush(timeout);
    List<Ingress> unrouted = router.stop(STOP_WAIT);
    ScheduledFuture<?> s = sweeper;
    if (s != null) {
      s.cancel(false);
    }
    lanes.values().forEach(DeliveryLane::retire);
    retryTimer.shutdownNow();
    deliveryPool.shutdownNow();
    try {
      if (!deliveryPool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Some delivery attempts were still running when audit streaming closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    UndeliveredReport report = new UndeliveredReport(queue, lanes::get, router::targetsOf);
    Thread reporter = new Thread(() -> report.run(unrouted, drained), "audit-stream-close");
    reporter.setDaemon(true);
    reporter.start();
    try {
      reporter.join(REPORT_WAIT.toMillis());
      if (reporter.isAlive()) {
        log.warn("The report of undelivered events goes on after close: the delivery listener is slow");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    callbackPool.shutdown();
  }

  @Override
  public long droppedCount() {
    return counters.refusedFullCount();
  }

  @Override
  public DeliveryStats stats() {
    return counters.snapshot();
  }

  @Override
  public DestinationStatus status(DestinationId id) {
    DeliveryLane lane = lanes.get(id);
    if (lane != null) {
      return lane.status();
    }
    DestinationStatus empty = DestinationStatus.empty(id);
    int pending = queue.size(id);
    int dead = queue.deadLetterCount(id);
    return pending == 0 && dead == 0 ? empty : new DestinationStatus(id, pending, 0, 0, 0, dead, 0,
        empty.lastSuccessAt(), empty.lastFailureAt(), empty.lastError());
  }

  @Override
  public boolean enqueueDirect(Destination destination, AuditEvent event) {
    if (closed.get()) {
      return false;
    }
    EncodedEvent encoded = new EncodedEvent(event, AuditEventJson.encode(event));
    DeliveryLane lane = lanes.computeIfAbsent(destination.id(), id -> new DeliveryLane(destination, laneContext));
    List<Offer> outcome = queue.offer(List.of(new QueuedDelivery(destination.id(), encoded, clock.instant())));
    if (outcome.size() != 1 || outcome.get(0) != Offer.ACCEPTED) {
      return false;
    }
    lane.wake();
    return true;
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationId id, int limit) {
    return queue.deadLetters(id, limit);
  }

  @Override
  public int redeliver(DestinationId id, Collection<String> eventIds) {
    int n = queue.redeliver(id, List.copyOf(eventIds), clock.instant());
    wakeAfterRedelivery(id, n);
    return n;
  }

  @Override
  public int redeliverSince(DestinationId id, Instant since) {
    int n = queue.redeliverSince(id, since, clock.instant());
    wakeAfterRedelivery(id, n);
    return n;
  }

  private void wakeAfterRedelivery(DestinationId id, int n) {
    if (n > 0) {
      log.info("Redelivering {} dead letters of destination {}", n, id);
      DeliveryLane lane = lanes.get(id);
      if (lane != null) {
        lane.wake();
      }
    }
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

  /** Has every lane make dead letters of what aged out in its queue, active or not. Never blocks. */
  void sweepAgedDeliveries() {
    lanes.values().forEach(DeliveryLane::sweep);
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
