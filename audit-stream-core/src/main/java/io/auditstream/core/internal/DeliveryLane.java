package io.auditstream.core.internal;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.RetryDecider.Decision;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.Isolate;
import io.auditstream.core.internal.RetryDecider.Retry;
import io.auditstream.core.internal.RetryDecider.RetryState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the queued events of one destination, one batch at a time.
 *
 * <p>A lane is {@code IDLE}, {@code RUNNING} (one task on the shared delivery pool drains the
 * destination's queue) or {@code WAITING} (a failed batch stays leased and the next attempt is
 * scheduled after a backoff; no thread waits). So at most one delivery per destination is ever in
 * flight, and a slow or failing destination only ever holds its own thread.
 *
 * <p>The lane acts; others decide and keep account. After a failed attempt {@link RetryDecider}
 * says whether to retry the same batch (same ids, same bytes) after a delay, give up on it, or
 * isolate its events, and keeps the circuit breaker that spaces attempts on a destination that is
 * down. {@link LaneLease} holds the leased batch (and splits it), {@link LaneSink} the sink, {@link
 * DeliveryRecorder} the counts and log lines. A destination whose kind has no sink has its
 * deliveries failed, reported once by {@link MissingSinkReporter}.
 *
 * <p>Inactive destinations: the lane delivers nothing while its destination is inactive; what was
 * queued stays queued (a leased batch is released) until it is active again or deleted.
 *
 * <p>Sinks: created lazily, on the lane's own thread, when first needed. When the destination's
 * settings change the old sink is closed and the next attempt uses a new one; if an attempt is in
 * flight the old sink is closed right after it.
 *
 * <p>Thread-safe: {@link #wake}, {@link #dropped}, {@link #update}, {@link #retire} and {@link
 * #status} may be called from any thread; the lane's state lives under one lock that is never held
 * during I/O.
 */
final class DeliveryLane {
  private static final Logger log = LoggerFactory.getLogger(DeliveryLane.class);

  private enum State { IDLE, RUNNING, WAITING }

  private final DestinationId id;
  private final LaneContext ctx;
  private final DestinationHealth health;
  private final DeliveryRecorder recorder;
  private final LaneSink sink;
  private final LaneLease lease;
  private final RetryDecider decider;
  private final MissingSinkReporter missingSink;
  private final Object lock = new Object();
  // guarded by lock
  private Destination destination;
  private State state = State.IDLE;
  private boolean wakeRequested;
  private boolean retired;
  private Future<?> pendingRetry;
  // only used by the task that holds state RUNNING; the lock hands it from one task to the next
  private RetryState retryState = RetryState.INITIAL;

  DeliveryLane(Destination destination, LaneContext ctx) {
    this.id = destination.id();
    this.destination = destination;
    this.ctx = ctx;
    this.health = new DestinationHealth(id);
    this.recorder = new DeliveryRecorder(health, ctx);
    this.sink = new LaneSink(id, ctx);
    this.lease = new LaneLease(id, ctx.queue());
    this.decider = new RetryDecider(ctx.retryPolicy());
    this.missingSink = new MissingSinkReporter(health);
  }

  DestinationId id() {
    return id;
  }

  /** Whether the lane holds back its queue because the destination is inactive. */
  boolean paused() {
    synchronized (lock) {
      return !destination.active();
    }
  }

  /** The destination's status, {@code pending} read from the queue. */
  DestinationStatus status() {
    return health.snapshot(ctx.queue().size(id));
  }

  /** Tells the lane there is something new in its queue. Never blocks. */
  void wake() {
    synchronized (lock) {
      if (retired || !destination.active()) {
        return;
      }
      if (state == State.RUNNING) {
        // The running task re-checks the queue before it goes idle.
        wakeRequested = true;
        return;
      }
      if (state == State.WAITING) {
        // The scheduled attempt drains the queue after it.
        return;
      }
      state = State.RUNNING;
    }
    submit();
  }

  /** Counts an event that the queue refused for this destination, and logs it now and then. */
  void dropped() {
    recorder.dropped(this::destinationNow);
  }

  /** The destination was saved again: use its new settings from the next attempt on. */
  void update(Destination updated) {
    Sink toClose = null;
    synchronized (lock) {
      if (retired) {
        return;
      }
      if (LaneSink.needsNewSink(destination, updated)) {
        // Decided under the lane's lock, so no task can pick up the old sink while it is detached.
        // A RUNNING lane may have an attempt in flight on it: it is closed right after that attempt.
        toClose = sink.settingsChanged(state == State.RUNNING);
      }
      destination = updated;
    }
    sink.closeQuietly(toClose);
    wake();
  }

  /**
   * Stops the lane for good (destination deleted, or the dispatcher closing): cancels a scheduled
   * retry and closes the sink, even while an attempt is in flight (sinks allow {@code close} from
   * another thread). A leased batch goes back to the queue: at once, or when the attempt in flight
   * ends without delivering it.
   */
  void retire() {
    List<QueuedDelivery> toRelease = List.of();
    synchronized (lock) {
      if (retired) {
        return;
      }
      retired = true;
      if (pendingRetry != null) {
        pendingRetry.cancel(false);
      }
      if (state != State.RUNNING) {
        toRelease = goIdle();
      }
    }
    lease.releaseQuietly(toRelease);
    sink.closeForGood();
  }

  private void submit() {
    try {
      ctx.executor().execute(this::run);
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        state = State.IDLE;
      }
    }
  }

  /** The scheduled retry is due. */
  private void resume() {
    synchronized (lock) {
      pendingRetry = null;
      if (retired || state != State.WAITING) {
        return;
      }
      state = State.RUNNING;
    }
    submit();
  }

  private void run() {
    try {
      drain();
    } catch (RuntimeException | Error e) {
      // A bug must not leave the lane RUNNING forever; the batch goes back to the queue.
      log.warn("Delivery lane of destination {} stopped unexpectedly", id, e);
      List<QueuedDelivery> toRelease;
      synchronized (lock) {
        toRelease = goIdle();
      }
      lease.releaseQuietly(toRelease);
    }
  }

  /** Delivers batch after batch until the queue is empty, the lane must wait, or it stops. */
  private void drain() {
    while (true) {
      Destination d = beginPass();
      if (d == null) {
        return;
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
        if (failMissingSink(d, e)) {
          continue;
        }
        return;
      } catch (RuntimeException e) {
        // No sink to attempt with: the batch (of one) fails as an attempt would, and is retried like one.
        failure = AttemptFailure.sinkNotCreated(e);
      }
      List<QueuedDelivery> current = lease.heldOrLease(s != null ? lease.leaseSize(s.maxBatchSize()) : 1);
      if (current.isEmpty()) {
        if (goIdleUnlessWoken()) {
          return;
        }
        continue;
      }
      if (s != null) {
        if (settingsChangedSince(d)) {
          // Saved again since this pass began: go round once more so the attempt uses a sink made from
          // the new settings (the leased batch is kept and re-used).
          continue;
        }
        failure = sink.attempt(s, current);
        if (failure == null) {
          succeeded(d, current);
          continue;
        }
      }
      Duration wait = failed(d, current, failure);
      if (wait != null) {
        scheduleRetry(wait);
        return;
      }
    }
  }

  /** The destination for this pass; null when the lane is retired or paused, and went IDLE. */
  private Destination beginPass() {
    List<QueuedDelivery> toRelease;
    synchronized (lock) {
      if (!retired && destination.active()) {
        wakeRequested = false;
        return destination;
      }
      retryState = retryState.forNextBatch();
      toRelease = goIdle();
    }
    // What was leased waits in the queue (or is removed with a deleted destination).
    lease.releaseQuietly(toRelease);
    return null;
  }

  /** After an empty lease: goes IDLE and returns true, unless a wake came meanwhile. */
  private boolean goIdleUnlessWoken() {
    synchronized (lock) {
      if (!wakeRequested || retired) {
        state = State.IDLE;
        return true;
      }
      return false;
    }
  }

  /**
   * Fails a batch of the destination, whose kind has no sink; returns false when there was none
   * and the lane went IDLE.
   */
  private boolean failMissingSink(Destination d, MissingSinkException e) {
    List<QueuedDelivery> current = lease.heldOrLease(MissingSinkReporter.BATCH);
    if (current.isEmpty()) {
      return !goIdleUnlessWoken();
    }
    missingSink.report(d, e, ctx.clock().instant());
    retryState = decider.onMissingSink(retryState);
    recorder.failed(current);
    lease.finished();
    return true;
  }

  private void succeeded(Destination d, List<QueuedDelivery> current) {
    boolean recovered = retryState.consecutiveFailures() > 0;
    retryState = decider.onSuccess(retryState);
    recorder.delivered(d, current, recovered);
    lease.finished();
  }

  /** Acts on the decision about a failed attempt; returns the wait before the lane goes on, or null for none. */
  private Duration failed(Destination d, List<QueuedDelivery> current, AttemptFailure f) {
    RetryState before = retryState;
    Decision decision = decider.onFailure(before, current.size(), f);
    retryState = decision.next();
    if (decision instanceof Isolate) {
      recorder.splitting(d, current.size(), f);
      lease.split();
      return null;
    }
    recorder.attemptFailed(d, current.size(), f, before, retryState, decider.probeInterval(),
        decision instanceof Retry);
    if (decision instanceof GiveUp g) {
      recorder.gaveUp(d, current, g, f.message());
      lease.finished();
      // With the breaker open, the next batch is the next probe: it waits too.
      return g.pause().orElse(null);
    }
    return ((Retry) decision).delay();
  }

  /** Moves to WAITING with the next attempt scheduled, or to IDLE when that is impossible. */
  private void scheduleRetry(Duration delay) {
    List<QueuedDelivery> toRelease;
    synchronized (lock) {
      if (!retired) {
        state = State.WAITING;
        try {
          pendingRetry = ctx.scheduler().schedule(this::resume, delay);
          return;
        } catch (RejectedExecutionException e) {
          // The dispatcher is shutting down: leave the batch to the queue.
        }
      }
      toRelease = goIdle();
    }
    lease.releaseQuietly(toRelease);
  }

  /**
   * Goes IDLE and takes the leased batch, for the caller to release once it let go of the lock:
   * one step, so that the next task never sees the batch. Called under the lock.
   */
  private List<QueuedDelivery> goIdle() {
    state = State.IDLE;
    return lease.take();
  }

  private boolean settingsChangedSince(Destination d) {
    synchronized (lock) {
      return LaneSink.needsNewSink(d, destination);
    }
  }

  private Destination destinationNow() {
    synchronized (lock) {
      return destination;
    }
  }
}
