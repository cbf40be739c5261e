package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * The state of one {@link DeliveryLane}, under one lock: {@code IDLE}, {@code RUNNING} or {@code
 * WAITING}; the destination as last saved; what was asked while a task ran (a wake, a sweep, the end of
 * a wait); and the probe the lane waits for. Internal; may change without notice.
 *
 * <p>Each method is one step under the lock and tells the lane what to do next, chiefly whether to
 * submit a task; the lane does the delivering. When the lane lets go of its leased batch, the batch is
 * taken from the {@link LaneLease} in the same step as the change of state, so that the next task never
 * sees it, and given back to the queue once the lock is let go.
 *
 * <p>RUNNING means the lane's work goes on: a task runs on the delivery pool, or attempts are in flight
 * ({@link #launched}) and no thread waits for them. Each attempt that lands is kept for the running task
 * ({@link #landed}); when none runs, the landing starts one. A wake or sweep while attempts are in flight
 * and no task runs starts a task too, so that new deliveries are sent while the others are in flight (a
 * sliding window). The lane never waits for a probe, nor goes idle, with attempts in flight: the task
 * ends instead ({@link #endTask}), and the last landing goes on.
 *
 * <p>Thread-safe: the lock is never held during I/O. The lease's lock and the sink's nest inside this
 * one, never the other way round.
 */
final class LaneState {
  private enum State { IDLE, RUNNING, WAITING }

  /**
   * What one pass of the running task works with, taken under the lock.
   *
   * @param waitOver the scheduled wait for a probe ended: the probe's time has come
   * @param retired the lane retired, and attempts that landed are still to be settled: nothing else to do
   */
  record Pass(Destination destination, boolean sweep, boolean waitOver, boolean retired) {}

  private final LaneLease lease;
  private final LaneSink sink;
  private final RetryScheduler scheduler;
  private final Runnable onWaitOver;
  private final Object lock = new Object();
  // guarded by lock
  private Destination destination;
  private State state = State.IDLE;
  private boolean wakeRequested;
  private boolean sweepRequested;
  private boolean waitOver;
  private boolean retired;
  // RUNNING: whether a task runs (otherwise attempts are in flight, and their landings go on).
  private boolean task;
  // Attempts sent and not yet taken back by a task after they landed.
  private int inFlight;
  private final ArrayDeque<LaneWindow.Attempt> landed = new ArrayDeque<>();
  // The engine closed and accounted for what is left: a window that lands after that is ignored.
  private boolean sealed;
  private Future<?> pendingRetry;
  /** When the oldest deliveries may be attempted again after a failed probe; null when not waiting for one. */
  private Instant probeAt;

  /** {@code onWaitOver} is what {@code scheduler} runs when a wait is over; it calls {@link #waitEnded}. */
  LaneState(Destination destination, LaneLease lease, LaneSink sink, RetryScheduler scheduler,
      Runnable onWaitOver) {
    this.destination = destination;
    this.lease = lease;
    this.sink = sink;
    this.scheduler = scheduler;
    this.onWaitOver = onWaitOver;
  }

  /** Whether the lane delivers to {@code d}: active and not paused (else what was queued waits, and ages out). */
  static boolean delivers(Destination d) {
    return d.active() && !d.paused();
  }

  /** Whether the lane holds back its queue because the destination is inactive or paused. */
  boolean holdsBack() {
    synchronized (lock) {
      return !delivers(destination);
    }
  }

  /** The destination as last saved. */
  Destination destination() {
    synchronized (lock) {
      return destination;
    }
  }

  /** There is something new in the queue: true when the caller must submit a task to deliver it. */
  boolean wake() {
    synchronized (lock) {
      if (retired || !delivers(destination)) {
        return false;
      }
      if (state == State.RUNNING && task) {
        // The running task re-checks the queue before it goes idle.
        wakeRequested = true;
        return false;
      }
      if (state == State.WAITING) {
        // New deliveries wait behind the batch being probed.
        return false;
      }
      // Idle, or attempts in flight and no task: a task sends what is new in the room left.
      state = State.RUNNING;
      task = true;
      return true;
    }
  }

  /** A sweep is asked for: true when the caller must submit a task to do it. */
  boolean sweep() {
    synchronized (lock) {
      if (retired) {
        return false;
      }
      sweepRequested = true;
      if (state == State.RUNNING && task) {
        return false;
      }
      if (state == State.WAITING) {
        // Taken over: the pass re-arms the wait for what is left of it.
        cancelPendingRetry();
      }
      state = State.RUNNING;
      task = true;
      return true;
    }
  }

  /**
   * The destination was saved again as {@code updated}. Returns the old sink, detached, for the caller
   * to close once the lock is let go; null when there is none to close now.
   */
  Sink update(Destination updated) {
    synchronized (lock) {
      if (retired) {
        return null;
      }
      Sink toClose = null;
      if (LaneSink.needsNewSink(destination, updated)) {
        // Decided under the lane's lock, so no task can pick up the old sink while it is detached.
        // A RUNNING lane may have an attempt in flight on it: it is closed right after that attempt.
        toClose = sink.settingsChanged(state == State.RUNNING);
      }
      destination = updated;
      return toClose;
    }
  }

  /**
   * Retires the lane: cancels a scheduled attempt and, unless a task runs (it lets go of the batch when
   * it ends), gives the leased batch back to the queue. False when the lane was retired already.
   */
  boolean retire() {
    List<QueuedDelivery> toRelease = List.of();
    synchronized (lock) {
      if (retired) {
        return false;
      }
      retired = true;
      cancelPendingRetry();
      if (state != State.RUNNING) {
        toRelease = goIdle();
      }
    }
    lease.releaseQuietly(toRelease);
    return true;
  }

  /** The running task is about to send {@code attempts} attempts; each comes back through {@link #landed}. */
  void launched(int attempts) {
    synchronized (lock) {
      inFlight += attempts;
    }
  }

  /**
   * An attempt landed, and is kept for the running task ({@link #takeLanded}): true when none runs and the
   * caller must submit one; false when one does, or the lane was sealed (the outcome is then ignored).
   */
  boolean landed(LaneWindow.Attempt attempt) {
    synchronized (lock) {
      if (sealed) {
        return false;
      }
      landed.add(attempt);
      if (state == State.RUNNING && task) {
        return false;
      }
      // RUNNING without a task, or IDLE after a retirement or an unexpected stop: the landing goes on.
      state = State.RUNNING;
      task = true;
      return true;
    }
  }

  /** The attempts that landed since the last call, for the running task to settle; no longer in flight. */
  List<LaneWindow.Attempt> takeLanded() {
    synchronized (lock) {
      if (landed.isEmpty()) {
        return List.of();
      }
      List<LaneWindow.Attempt> taken = List.copyOf(landed);
      landed.clear();
      inFlight -= taken.size();
      return taken;
    }
  }

  /** How many attempts are in flight, or landed and not yet taken by the running task. */
  int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** The task has nothing to do until an attempt lands: ends it (true), unless one landed meanwhile. */
  boolean endTask() {
    synchronized (lock) {
      if (!landed.isEmpty()) {
        return false;
      }
      task = false;
      if (inFlight == 0 && state == State.RUNNING) {
        state = State.IDLE;
      }
      return true;
    }
  }

  /** Whether a task runs or attempts are in flight (also after the lane retired). */
  boolean busy() {
    synchronized (lock) {
      return state == State.RUNNING || inFlight > 0;
    }
  }

  /**
   * The engine closed and is about to account for what is left in the queue: attempts still in flight are
   * abandoned (their deliveries stay leased, and are left to the queue's owner), and those that land later
   * are ignored, so that nothing is both reported and delivered. Returns whether a task still runs.
   */
  boolean seal() {
    synchronized (lock) {
      sealed = true;
      return state == State.RUNNING && task;
    }
  }

  /** Whether a task runs (rather than attempts in flight only, or nothing). */
  boolean taskRunning() {
    synchronized (lock) {
      return state == State.RUNNING && task;
    }
  }

  /** The task the caller was told to submit was rejected: nothing runs. */
  void notSubmitted() {
    synchronized (lock) {
      state = State.IDLE;
      task = false;
    }
  }

  /** The scheduled attempt is due: true when the caller must submit a task for it. */
  boolean waitEnded() {
    synchronized (lock) {
      pendingRetry = null;
      if (retired || state != State.WAITING) {
        return false;
      }
      waitOver = true;
      state = State.RUNNING;
      task = true;
      return true;
    }
  }

  /** The running task stopped unexpectedly: goes IDLE, and the leased batch goes back to the queue. */
  void stopped() {
    List<QueuedDelivery> toRelease;
    synchronized (lock) {
      toRelease = goIdle();
    }
    lease.releaseQuietly(toRelease);
  }

  /** What the task's next pass works with; null when the lane retired and went IDLE, nothing left to settle. */
  Pass beginPass() {
    List<QueuedDelivery> toRelease;
    Pass pass = null;
    synchronized (lock) {
      if (retired && !landed.isEmpty()) {
        // Landed while the lane retired: settled first, so that what was delivered is counted as such.
        return new Pass(destination, false, false, true);
      }
      if (retired) {
        toRelease = goIdle();
      } else {
        wakeRequested = false;
        pass = new Pass(destination, sweepRequested, waitOver, false);
        sweepRequested = false;
        waitOver = false;
        // Inactive or paused: what was leased waits in the queue; the pass may still age out what is too old.
        toRelease = delivers(destination) ? List.of() : lease.take();
      }
    }
    // What was leased waits in the queue (or is removed with a deleted destination).
    lease.releaseQuietly(toRelease);
    return pass;
  }

  /**
   * After a pass found nothing to do: goes IDLE (or, with attempts in flight, ends the task) and returns
   * true, unless a wake or sweep came, or an attempt landed, meanwhile.
   */
  boolean goIdleUnlessWoken() {
    synchronized (lock) {
      if (!landed.isEmpty()) {
        return false;
      }
      if (retired || !(wakeRequested && delivers(destination) || sweepRequested)) {
        task = false;
        if (inFlight == 0) {
          state = State.IDLE;
        }
        return true;
      }
      return false;
    }
  }

  /**
   * Moves to WAITING with the next attempt scheduled, or to IDLE when that is impossible. Only with no
   * attempt in flight.
   */
  void scheduleRetry(Duration delay) {
    List<QueuedDelivery> toRelease;
    synchronized (lock) {
      task = false;
      if (!retired) {
        state = State.WAITING;
        try {
          pendingRetry = scheduler.schedule(onWaitOver, delay);
          return;
        } catch (RejectedExecutionException e) {
          // The dispatcher is shutting down: leave the deliveries to the queue.
        }
      }
      toRelease = goIdle();
    }
    lease.releaseQuietly(toRelease);
  }

  /** The time of the probe the lane waits for; null when it waits for none. */
  Instant probeAt() {
    synchronized (lock) {
      return probeAt;
    }
  }

  /** The lane waits to probe the destination at {@code at}; null: it waits for no probe. */
  void setProbeAt(Instant at) {
    synchronized (lock) {
      probeAt = at;
    }
  }

  /**
   * Whether the destination was saved since {@code d}, the state a pass began with: any change, not only
   * one that needs a new sink, since the attempt carries the destination's token and signing secrets.
   */
  boolean savedSince(Destination d) {
    synchronized (lock) {
      return destination != d;
    }
  }

  private void cancelPendingRetry() {
    if (pendingRetry != null) {
      pendingRetry.cancel(false);
      pendingRetry = null;
    }
  }

  /**
   * Goes IDLE and takes the leased batch, for the caller to release once it let go of the lock:
   * one step, so that the next task never sees the batch. Called under the lock.
   */
  private List<QueuedDelivery> goIdle() {
    state = State.IDLE;
    task = false;
    return lease.take();
  }
}
