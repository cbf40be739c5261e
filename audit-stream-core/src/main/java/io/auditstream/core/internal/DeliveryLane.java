package io.auditstream.core.internal;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.RetryDecider.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the queued events of one destination, oldest first, with up to a window of batches in flight.
 *
 * <p>A lane is {@code IDLE}, {@code RUNNING} (a task on the shared, bounded delivery pool drains the
 * queue, or attempts it sent are in flight) or {@code WAITING} (its oldest batch failed and is due again
 * later). No thread waits for a destination: the task leases what the window has room for ({@link
 * LaneWindow}), sends it with {@link Sink#deliverAsync} and ends; each attempt, once answered or timed out
 * ({@link DeliverySettings#answerBound}), lands on a task, which settles what landed and fills the room
 * again (a sliding window). Sinks that block run on the engine's blocking executor, at most a window's
 * worth per destination. So a slow, failing or silent destination never holds a delivery thread.
 *
 * <p>A destination that is down is probed: after a failed attempt the batch goes back to the queue
 * with its next attempt's time (see {@link RetryDecider}), and the lane attempts nothing until then,
 * so the deliveries behind it wait in order; the probe is the oldest batch alone. When the probe succeeds
 * the lane goes on with full windows, until the queue is empty. Deliveries that aged out are made dead
 * letters when they are leased, and by {@link #sweep}, which the dispatcher calls now and then so that
 * a destination that is inactive or paused, or whose oldest delivery keeps failing, still ages out its
 * backlog.
 *
 * <p>The lane acts; others decide and keep account. {@link LaneState} keeps the lane's state, {@link
 * RetryDecider} decides, {@link LaneLease} holds the leased batch (and splits it), {@link LaneSink} the
 * sink, {@link DeliveryRecorder} the counts, dead letters and log lines. A destination whose kind has
 * no sink has its deliveries made dead letters, reported once by {@link MissingSinkReporter}. {@link
 * LaneFailures} carries out the decisions about failures, {@link LaneAging} makes dead letters of what
 * aged out.
 *
 * <p>Times: the lane acts at the clock's time, but never earlier than a time it has already acted at
 * or waited for, so a wait that ends a little before the clock says (or a test scheduler that runs it
 * at once) still finds the batch it waited for due.
 *
 * <p>Inactive and paused destinations: the lane delivers nothing while its destination is inactive or
 * paused; what was queued stays queued (a leased batch is released) until it is active and resumed again,
 * or deleted, and ages out meanwhile. A paused destination still gets new events (the router routes to
 * it), which wait behind the others, within its bound. Once it delivers again the backlog follows back to
 * back, oldest first; a lane that was waiting to probe a failing destination when it was paused keeps
 * its probe's time (the queue is never leased ahead of the clock).
 *
 * <p>Sinks: created lazily, by the lane's running task, when first needed. When the destination's
 * settings change, the next attempt uses a new one (a lane waiting to probe keeps its schedule); while
 * attempts are in flight on the old sink, nothing more is sent until they landed, and it is closed then.
 *
 * <p>Thread-safe: {@link #wake}, {@link #sweep}, {@link #dropped}, {@link #update}, {@link #retire} and
 * {@link #status} may be called from any thread; the lane's state lives in its {@link LaneState}, under
 * one lock that is never held during I/O.
 */
final class DeliveryLane {
  private static final Logger log = LoggerFactory.getLogger(DeliveryLane.class);

  private final DestinationId id;
  private final LaneContext ctx;
  private final DestinationHealth health;
  private final DeliveryRecorder recorder;
  private final LaneSink sink;
  private final LaneLease lease;
  private final MissingSinkReporter missingSink;
  private final LaneAging aging;
  private final LaneFailures failures;
  private final LaneState state;
  private final LaneWindow window;
  // only used by the task that holds state RUNNING; the state's lock and the executor hand them from one
  // task to the next
  private Instant reached = Instant.MIN;

  DeliveryLane(Destination destination, LaneContext ctx) {
    this.id = destination.id();
    this.ctx = ctx;
    this.health = new DestinationHealth(id);
    this.recorder = new DeliveryRecorder(health, ctx);
    this.sink = new LaneSink(id, ctx);
    this.lease = new LaneLease(id, ctx.queue());
    this.missingSink = new MissingSinkReporter(health);
    this.aging = new LaneAging(id, ctx, recorder, lease);
    this.failures = new LaneFailures(ctx, recorder, lease, missingSink, health);
    this.state = new LaneState(destination, lease, sink, ctx.scheduler(), this::resume);
    this.window = new LaneWindow(ctx, lease, sink, recorder, failures, health);
  }

  DestinationId id() {
    return id;
  }

  /** Whether the lane holds back its queue because the destination is inactive or paused. */
  boolean holdsBack() {
    return state.holdsBack();
  }

  /** The destination's status, {@code pending} and {@code deadLetters} read from the queue. */
  DestinationStatus status() {
    return health.snapshot(ctx.queue().size(id), ctx.queue().deadLetterCount(id))
        .withPausedReason(state.destination().pausedReason());
  }

  /** Tells the lane there is something new in its queue. Never blocks. */
  void wake() {
    if (state.wake()) {
      submit();
    }
  }

  /**
   * Makes dead letters of what aged out in the destination's queue, even while the destination is
   * inactive or paused or the lane waits to probe it; then the lane goes on as it was. Never blocks.
   */
  void sweep() {
    if (state.sweep()) {
      submit();
    }
  }

  /** Counts an accepted event that will not reach this destination, reports and logs it. */
  void dropped(String eventId, String reason) {
    recorder.dropped(state::destination, eventId, reason);
  }

  /** Reports events that the streamer closed with, undelivered and not kept, for this destination. */
  void droppedAtClose(List<String> eventIds) {
    recorder.droppedAtClose(state::destination, eventIds);
  }

  /** The destination was saved again: use its new settings from the next attempt on. */
  void update(Destination updated) {
    // Saves of one destination come one at a time (under its group's lock), so this is the state it leaves.
    boolean resumed = state.destination().paused() && !updated.paused();
    sink.closeQuietly(state.update(updated));
    if (resumed) {
      // Resumed by an Owner: failures from before the pause do not count towards another automatic one.
      health.resumed();
    }
    wake();
  }

  /**
   * Stops the lane for good (destination deleted, or the dispatcher closing): cancels a scheduled
   * attempt and closes the sink, even while an attempt is in flight (sinks allow {@code close} from
   * another thread). A leased batch goes back to the queue: at once, or when the attempt in flight
   * ends without delivering it.
   */
  void retire() {
    if (state.retire()) {
      sink.closeForGood();
    }
  }

  /** Whether a task runs or attempts are in flight. */
  boolean busy() {
    return state.busy();
  }

  /** Whether a task runs now (not only attempts in flight). */
  boolean taskRunning() {
    return state.taskRunning();
  }

  /**
   * The engine closed and is about to account for what is left: an attempt that lands from now on is
   * ignored (its deliveries stay leased). Returns whether a task still runs.
   */
  boolean seal() {
    return state.seal();
  }

  private void submit() {
    try {
      ctx.executor().execute(this::run);
    } catch (RejectedExecutionException e) {
      state.notSubmitted();
    }
  }

  /** The scheduled attempt is due. */
  private void resume() {
    if (state.waitEnded()) {
      submit();
    }
  }

  private void run() {
    try {
      drain();
    } catch (RuntimeException | Error e) {
      // A bug, or a queue that failed: the lane must not stay RUNNING forever; the batch goes back to the
      // queue, and the next wake or sweep tries again.
      log.warn("Delivery lane of destination {} stopped unexpectedly", id, e);
      state.stopped();
    }
  }

  /**
   * Settles what landed, then leases and sends while there is room, until the queue is empty, the lane must
   * wait, the room is taken by attempts in flight (their landings go on, on other tasks), or the lane stops.
   */
  private void drain() {
    while (true) {
      if (settleLanded()) {
        return;
      }
      LaneState.Pass pass = state.beginPass();
      if (pass == null) {
        return;
      }
      if (pass.retired()) {
        continue;
      }
      Destination d = pass.destination();
      Instant now = now();
      if (pass.sweep()) {
        aging.expireHead(d, now);
      }
      // Inactive or paused, or woken only by a sweep with nothing queued: no sink is made for nothing.
      if (!LaneState.delivers(d) || pass.sweep() && ctx.queue().size(id) == 0) {
        if (state.goIdleUnlessWoken()) {
          return;
        }
        continue;
      }
      Instant waitingFor = state.probeAt();
      if (waitingFor != null) {
        if (pass.waitOver()) {
          now = advanceTo(waitingFor);
        } else if (now.isBefore(waitingFor)) {
          state.scheduleRetry(Duration.between(now, waitingFor));
          return;
        }
        state.setProbeAt(null);
      }
      int inFlight = state.inFlight();
      if (inFlight > 0 && sink.stale()) {
        // New settings: the next attempt goes to a new sink, once nothing is in flight on the old one.
        if (state.endTask()) {
          return;
        }
        continue;
      }
      Sink s = null;
      AttemptFailure failure = null;
      try {
        s = sink.get(d);
        if (s == null) {
          // Closed for good meanwhile: the next pass finds the lane retired.
          continue;
        }
        missingSink.sinkAvailable();
      } catch (MissingSinkException e) {
        if (inFlight == 0 && failures.missingSink(d, e, now) || !state.goIdleUnlessWoken()) {
          continue;
        }
        return;
      } catch (RuntimeException e) {
        // No sink to attempt with: the batch (of one) fails as an attempt would, and is retried like one.
        failure = AttemptFailure.sinkNotCreated(e);
      }
      int size = s != null ? window.size(s, inFlight) : 0;
      if (s != null && size == 0 && inFlight > 0) {
        // The room is taken: the next landing goes on.
        if (state.endTask()) {
          return;
        }
        continue;
      }
      Duration linger = size > 0 ? window.linger(s, inFlight, pass.waitOver()) : Duration.ZERO;
      if (!linger.isZero()) {
        waitFor(new Wait(linger, now.plus(linger)));
        return;
      }
      List<QueuedDelivery> current =
          aging.live(d, lease.heldOrLease(s != null ? lease.leaseSize(s.maxBatchSize()) : 1, now), now);
      if (current == null) {
        // Everything leased had aged out: lease again.
        continue;
      }
      if (current.isEmpty()) {
        if (inFlight == 0 && waitForNextDue(now)) {
          return;
        }
        if (state.goIdleUnlessWoken()) {
          return;
        }
        continue;
      }
      if (s != null) {
        if (state.savedSince(d)) {
          // Saved again since this pass began: go round once more so that the attempt is made with the new
          // settings, and from a sink made from them where they need one (the leased batch is kept).
          continue;
        }
        if (size > 0) {
          send(d, s, window.fill(d, s, current, size, now));
          continue;
        }
        failure = AttemptFailure.stillUnanswered(sink.unanswered(s));
      }
      window.defer(failures.failed(d, current, failure, now()));
    }
  }

  /**
   * Settles the attempts that landed; then, when a failed one was rescheduled and nothing is in flight any
   * more, waits for it. Returns true when the task ends: it waits, or attempts are still in flight while a
   * wait is due (nothing more is sent then; the last landing goes on).
   */
  private boolean settleLanded() {
    while (true) {
      List<LaneWindow.Attempt> landed = state.takeLanded();
      if (!landed.isEmpty()) {
        window.settle(landed, now());
      }
      if (state.inFlight() == 0) {
        break;
      }
      if (!window.waitKept()) {
        return false;
      }
      if (state.endTask()) {
        return true;
      }
    }
    sink.closeIfStale();
    if (!window.waitKept()) {
      return false;
    }
    // Waiting for a probe, the lane must not hold an event back from it.
    lease.releaseQuietly(lease.take());
    waitFor(window.takeWait(now()));
    return true;
  }

  /** Sends batches and goes on; each attempt lands on its own, and is settled by the running task or one it starts. */
  private void send(Destination d, Sink s, List<List<QueuedDelivery>> batches) {
    state.launched(batches.size());
    window.send(d, s, batches, this::landed);
  }

  /** Called where an attempt's answer came (a sink's thread, or a timer's): hands over to the pool. */
  private void landed(LaneWindow.Attempt attempt) {
    if (!state.landed(attempt)) {
      return;
    }
    try {
      ctx.executor().execute(this::run);
    } catch (RejectedExecutionException e) {
      // The engine closed: it sealed the lane first, unless something went wrong; then let the batches go.
      state.stopped();
    }
  }

  /**
   * After a lease found nothing due: when something is pending but due later (a schedule kept from
   * before a restart), waits for it and returns true.
   */
  private boolean waitForNextDue(Instant now) {
    Optional<Instant> next = ctx.queue().nextDue(id);
    if (next.isEmpty() || !next.get().isAfter(now)) {
      return false;
    }
    state.setProbeAt(next.get());
    state.scheduleRetry(Duration.between(now, next.get()));
    return true;
  }

  /** Waits until {@code wait} is over before the lane attempts anything again. */
  private void waitFor(Wait wait) {
    state.setProbeAt(wait.at());
    state.scheduleRetry(wait.delay());
  }

  /** The time the lane acts at: the clock's, never earlier than a time it acted at or waited for. */
  private Instant now() {
    Instant clock = ctx.clock().instant();
    if (clock.isAfter(reached)) {
      reached = clock;
    }
    return reached;
  }

  private Instant advanceTo(Instant t) {
    if (t.isAfter(reached)) {
      reached = t;
    }
    return reached;
  }
}
