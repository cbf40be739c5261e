package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.DeliveryStats;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.internal.EventRouter.Ingress;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
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
 * <p>The path of an event: {@link #stream} or {@link #submit} (host's thread, {@link EventAdmission}: a
 * lookup and a bounded, non-blocking insert) → {@link EventRouter} (one thread: batches of events, each encoded once,
 * filtered, all their deliveries offered to the queue in one call) → {@link DeliveryQueue} (bounded
 * per destination) → {@link DeliveryLane} (one per destination; waits scheduled on an {@code
 * audit-stream-retry-N} thread without sleeping).
 *
 * <p>Threads and windows ({@link DeliverySettings}, {@link EnginePools}): lanes' own work (lease, remove,
 * decide) runs on a bounded pool of {@code deliveryThreads} {@code audit-stream-delivery-N} daemon threads,
 * which never wait on the network. Each lane has up to W deliveries of its destination in flight at once,
 * W being {@code maxInFlightPerDestination} or its sink's {@code maxInFlight()}, whichever is smaller,
 * sent with {@code Sink.deliverAsync}; their completion brings the lane back onto the pool. Sinks that
 * block run {@code deliver} on {@code audit-stream-blocking-N} threads, made on demand and ending when
 * idle, at most W per lane. A delivery not answered within its bound (the sinks' connect plus request
 * timeout per event) counts as a retryable failure, "no answer within ...", and keeps its place in the
 * window of its sink until the sink answers it. With W above 1, one destination may receive the events
 * of one window out of order; with 1, strictly in order.
 *
 * <p>Losses are never silent. An event refused by the full ingress queue is refused ({@code stream}
 * returns false), counted and logged at WARN (first time, then at most every {@link
 * DropCounter#WARN_INTERVAL}). A delivery the queue refuses (its destination's backlog at its bound)
 * is dropped for that destination alone: counted on its status and in {@link #stats()}, reported to
 * the {@link DeliveryListener}, logged with its event id. Given-up deliveries become dead letters,
 * logged with their ids and reported likewise. The host's {@link DeliveryObserver} (metrics) hears of every
 * delivery made, attempt failed and dead letter, through an {@link ObserverNotifier}.
 *
 * <p>Failing destinations: a failed batch is due again on the {@link RetryPolicy}'s schedule and the
 * lane waits for it, so a destination that is down is probed with its oldest batch alone; deliveries
 * older than the policy's maximum age become dead letters, when leased and by a sweep every {@code
 * sweepInterval} (see {@link DeliveryLane}). A destination that has kept failing for {@code
 * autoPauseAfter} is paused through the {@link DestinationPauser} (see {@link AutoPause}).
 *
 * <p>Destinations: the routing table and the lanes ({@link DeliveryLanes}) are loaded from the store at
 * {@link #start()} and kept current through {@link #destinationSaved} and {@link #destinationDeleted}.
 * An inactive destination gets nothing new; a paused one still gets new events, within its bound, and
 * delivers none. What either has queued stays queued until it is active and resumed again, or deleted,
 * and ages out meanwhile ({@link #flush} does not wait for it). Deleting a destination drops its queue
 * and closes its sink.
 *
 * <p>Several engines, one in each host process, may share one store and one queue (a database): they
 * cooperate. Each polls for what the others did. When the store has a {@link
 * DestinationStore#changeCount() change count}, the engine looks at it every {@code storePollInterval}
 * (a second) and, when it moved, reads the destinations again and applies the others' changes ({@link
 * DestinationRefresh}), so a change made through any process is in effect in all within a few seconds.
 * When the queue has a {@link DeliveryQueue#pollInterval() poll interval}, the engine looks at it that
 * often ({@link SharedQueuePoll}): it routes the events host transactions appended to its inbox, and
 * wakes the lanes of destinations with deliveries that others queued or left leased. Polls run on one
 * {@code audit-stream-poll} thread; a failing poll is logged and tried again, and never stops the engine.
 *
 * <p>Waiting: {@link #flush} sleeps on a {@link ProgressMonitor} that lanes and the router signal.
 *
 * <p>Closing: see {@link #close(Duration)}.
 *
 * <p>Thread-safe: every method of {@link DeliveryEngine} may be called from any thread.
 */
final class Dispatcher implements DeliveryEngine {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** How often aged-out deliveries are swept into dead letters unless configured otherwise. */
  static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
  /** How often a store that other processes share is asked whether they changed destinations. */
  static final Duration DEFAULT_STORE_POLL_INTERVAL = Duration.ofSeconds(1);
  /** How long close waits for the router and for the delivery threads. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(1);
  /**
   * How long close waits for the router to finish the batch it is routing: no network but the queue's,
   * and on a loaded machine a batch of hundreds of events may take more than a second. What it routes
   * after this is not accounted for in the report, so the wait is generous; an idle router stops at once.
   */
  private static final Duration ROUTER_STOP_WAIT = Duration.ofSeconds(5);
  /** How long close waits for the report of what is left undelivered (the listener may be slow). */
  private static final Duration REPORT_WAIT = Duration.ofSeconds(10);

  private final DestinationStore store;
  private final DeliveryQueue queue;
  private final Clock clock;
  private final Duration sweepInterval;
  private final Duration storePollInterval;
  private final EngineCounters counters = new EngineCounters();
  private final ProgressMonitor progress = new ProgressMonitor();
  private final EnginePools pools;
  private final DeliveryLanes lanes;
  private final EventRouter router;
  private final EventAdmission admission;
  private final DestinationRefresh refresh;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ScheduledFuture<?> sweeper;
  private final SharedPolls polls;

  /** See {@link DeliveryEngine#create}. */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock, DeliveryListener listener, Duration autoPauseAfter, DestinationPauser pauser) {
    this(store, sinks, queue, retryPolicy, ingressCapacity, clock, listener, DeliveryObserver.NONE, autoPauseAfter,
        pauser, null, DEFAULT_SWEEP_INTERVAL, DEFAULT_STORE_POLL_INTERVAL, DeliverySettings.defaults());
  }

  /** As {@link DeliveryEngine#create}: {@code observer} hears every outcome; deliveries go as {@code settings} say. */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock, DeliveryListener listener, DeliveryObserver observer, Duration autoPauseAfter,
      DestinationPauser pauser, DeliverySettings settings) {
    this(store, sinks, queue, retryPolicy, ingressCapacity, clock, listener, observer, autoPauseAfter, pauser, null,
        DEFAULT_SWEEP_INTERVAL, DEFAULT_STORE_POLL_INTERVAL, settings);
  }

  /**
   * As {@link DeliveryEngine#create}; a non-null {@code scheduler} replaces the retry timer (for tests),
   * aged deliveries are swept every {@code sweepInterval}, and a store that other processes share is
   * polled for their changes every {@code storePollInterval} (positive); deliveries go out as {@code
   * settings} say, and {@code observer} hears the outcome of every attempt.
   */
  Dispatcher(DestinationStore store, SinkFactory sinks, DeliveryQueue queue, RetryPolicy retryPolicy,
      int ingressCapacity, Clock clock, DeliveryListener listener, DeliveryObserver observer, Duration autoPauseAfter,
      DestinationPauser pauser, RetryScheduler scheduler, Duration sweepInterval, Duration storePollInterval,
      DeliverySettings settings) {
    if (ingressCapacity < 1) {
      throw new IllegalArgumentException("ingressCapacity must be at least 1 (was " + ingressCapacity + ")");
    }
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
    this.storePollInterval = Objects.requireNonNull(storePollInterval, "storePollInterval");
    if (storePollInterval.isZero() || storePollInterval.isNegative()) {
      throw new IllegalArgumentException("storePollInterval must be positive (was " + storePollInterval + ")");
    }
    this.pools = new EnginePools(Objects.requireNonNull(settings, "settings").deliveryThreads());
    ListenerNotifier notifier = new ListenerNotifier(Objects.requireNonNull(listener, "listener"));
    LaneContext laneContext = new LaneContext(queue, Objects.requireNonNull(sinks, "sinks"),
        new RetryDecider(Objects.requireNonNull(retryPolicy, "retryPolicy")), clock, pools.delivery, pools.blocking,
        settings, scheduler != null ? scheduler : RetryScheduler.of(pools.retryTimer), progress::signal, counters, notifier,
        new ObserverNotifier(Objects.requireNonNull(observer, "observer")),
        new AutoPause(Objects.requireNonNull(autoPauseAfter, "autoPauseAfter"), pauser, notifier));
    RoutingTable table = new RoutingTable();
    this.lanes = new DeliveryLanes(table, queue, laneContext);
    this.router = new EventRouter(ingressCapacity, table, lanes::get, queue, progress::signal, clock);
    this.admission = new EventAdmission(router, table, counters, ingressCapacity, settings.maxEventBytes(),
        pools.callbacks(), closed::get);
    this.refresh = new DestinationRefresh(store, lanes);
    this.polls = new SharedPolls(refresh, new SharedQueuePoll(queue, router, lanes::get, clock, closed::get),
        storePollInterval, closed::get);
  }

  /**
   * Leases a durable queue kept from before a restart are released first. With a store that other
   * processes share, its change count is read before the destinations, so that a change made meanwhile is
   * found by the first poll; and queued deliveries of a destination that was not read are removed only
   * when the store confirms it does not exist (another process may have created it since).
   */
  @Override
  public void start() {
    if (!started.compareAndSet(false, true) || closed.get()) {
      return;
    }
    OptionalLong changeCount = store.changeCount();
    List<Destination> all = store.findAll();
    lanes.load(all, changeCount.isPresent() ? this::confirmedGone : id -> true);
    refresh.started(changeCount);
    router.start();
    if (!sweepInterval.isZero() && !sweepInterval.isNegative()) {
      sweeper = pools.retryTimer.scheduleWithFixedDelay(this::sweepAgedDeliveries, sweepInterval.toNanos(),
          sweepInterval.toNanos(), TimeUnit.NANOSECONDS);
    }
    polls.start(changeCount.isPresent(), queue.pollInterval());
    log.debug("Delivery engine started with {} destinations", all.size());
  }

  /** Whether the store confirms that a destination does not exist; when it cannot tell, it may exist. */
  private boolean confirmedGone(DestinationId id) {
    try {
      return store.find(id).isEmpty();
    } catch (RuntimeException e) {
      log.warn("Could not check whether destination {} still exists; its queued deliveries are kept: {}", id,
          ErrorChain.classes(e));
      return false;
    }
  }

  /** A lock-free lookup in the routing table, then a non-blocking offer to the router's queue. */
  @Override
  public boolean stream(AuditEvent event) {
    return admission.stream(event);
  }

  @Override
  public CompletableFuture<Void> submit(AuditEvent event) {
    return admission.submit(event);
  }

  @Override
  public boolean running() {
    return started.get() && !closed.get() && router.alive() && pools.running();
  }

  /** Sleeps on a monitor that lanes and the router signal, looking again at least every 10 ms. */
  @Override
  public boolean flush(Duration timeout) {
    return progress.await(timeout, this::drained);
  }

  /**
   * Refuses new events at once, flushes for up to {@code timeout}, stops the router (taking back the
   * events it had not routed), retires every lane (closing its sink, which should end its deliveries in
   * flight) and waits up to a second for the windows in flight to land, and then for the delivery threads.
   * A window that lands after that is ignored: its deliveries count as undelivered, never also as
   * delivered. Then what is left undelivered is accounted for by an {@link UndeliveredReport}: with an {@link
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
    polls.stop(STOP_WAIT);
    boolean drained = started.get() && flush(timeout);
    List<Ingress> unrouted = router.stop(ROUTER_STOP_WAIT);
    ScheduledFuture<?> s = sweeper;
    if (s != null) {
      s.cancel(false);
    }
    stopLanes();
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
    pools.stopCallbacks();
  }

  /**
   * Retires every lane (closing its sink), interrupts the sinks' blocking calls, and waits up to {@link
   * #STOP_WAIT} for the windows in flight to land; then seals the lanes, so that a window landing later is
   * ignored and what it holds is accounted for by the report alone, and stops the delivery threads.
   */
  private void stopLanes() {
    lanes.retireAll();
    pools.stopBlocking();
    if (!progress.await(STOP_WAIT, lanes::settled)) {
      log.warn("Some deliveries got no answer before audit streaming closed; they count as undelivered");
    }
    if (lanes.sealAll() > 0 && !progress.await(STOP_WAIT, lanes::noTaskRunning)) {
      log.warn("Some delivery lanes were still running when audit streaming closed");
    }
    if (!pools.stopDelivery(STOP_WAIT)) {
      log.warn("Some delivery threads were still running when audit streaming closed");
    }
  }


  @Override
  public long droppedCount() {
    return counters.refusedFullCount();
  }

  @Override
  public DeliveryStats stats() {
    return counters.snapshot(router.accepted());
  }

  @Override
  public DestinationStatus status(DestinationId id) {
    return lanes.status(id);
  }

  @Override
  public boolean enqueueDirect(Destination destination, AuditEvent event) {
    return !closed.get() && lanes.enqueueDirect(destination, event);
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationId id, int limit) {
    return queue.deadLetters(id, limit);
  }

  @Override
  public int redeliver(DestinationId id, Collection<String> eventIds) {
    int n = queue.redeliver(id, List.copyOf(eventIds), clock.instant());
    lanes.redelivered(id, n);
    return n;
  }

  @Override
  public int redeliverSince(DestinationId id, Instant since) {
    int n = queue.redeliverSince(id, since, clock.instant());
    lanes.redelivered(id, n);
    return n;
  }

  @Override
  public void destinationSaved(Destination destination) {
    if (!closed.get()) {
      refresh.saved(destination);
    }
  }

  @Override
  public void destinationDeleted(Destination destination) {
    refresh.deleted(destination);
    progress.signal();
  }

  /** Has every lane make dead letters of what aged out in its queue, whether it delivers or not. Never blocks. */
  void sweepAgedDeliveries() {
    lanes.sweep();
  }

  /**
   * Whether everything accepted was routed and every deliverable queue is empty. A queue that cannot be
   * read (its database is away) is not known to be empty: flush and close wait, up to their bound,
   * instead of failing with the queue's error and leaving the engine's threads running.
   */
  private boolean drained() {
    if (!router.idle()) {
      return false;
    }
    try {
      return lanes.deliverableQueuesEmpty();
    } catch (RuntimeException e) {
      log.debug("Cannot tell whether the delivery queue is drained: {}", ErrorChain.classes(e));
      return false;
    }
  }
}
