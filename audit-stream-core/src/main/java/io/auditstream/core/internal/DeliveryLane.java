package io.auditstream.core.internal;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
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
 * <p>Outcomes of an attempt: success removes the batch; a retryable failure (or a {@link
 * RuntimeException} from the sink) retries the same batch, same ids and same bytes, after {@code
 * retryPolicy.backoff(attempts, retryAfter)}, until {@code retryPolicy.maxAttempts()}, then gives
 * up; a permanent failure gives up at once. Given-up events are removed and counted as failed.
 * A permanent failure of a batch of several events gives up on none of them yet: the lane tries
 * them again one at a time, so that one event the destination refuses (too large, say) does not
 * take the others down with it.
 *
 * <p>Circuit breaker: after {@value #CIRCUIT_BREAKER_THRESHOLD} consecutive failed attempts the
 * destination is considered down, and every further attempt (a retry or the next batch) waits at
 * least {@code retryPolicy.maxBackoff()}: one probe per interval instead of a burst per batch. The
 * first success closes it again.
 *
 * <p>Inactive destinations: the lane delivers nothing while its destination is inactive; what was
 * queued stays queued (a leased batch is released) until it is active again or deleted.
 *
 * <p>Sinks: created lazily, on the lane's own thread, when first needed. When the destination's
 * settings change the old sink is closed and the next attempt uses a new one; if an attempt is in
 * flight the old sink is closed right after it. A missing sink fails the queued events (logged once).
 *
 * <p>Thread-safe: {@link #wake}, {@link #update}, {@link #retire} and {@link #status} may be called
 * from any thread; the lane's state lives under one lock that is never held during I/O.
 */
final class DeliveryLane {
  /** Consecutive failed attempts after which the lane probes only once per max backoff. */
  static final int CIRCUIT_BREAKER_THRESHOLD = 5;
  /** How many deliveries are failed at a time when the destination's kind has no sink. */
  private static final int MISSING_SINK_BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(DeliveryLane.class);

  private enum State { IDLE, RUNNING, WAITING }

  /** What a failed attempt said. */
  private record Failure(String message, boolean retryable, Duration retryAfter) {}

  private final DestinationId id;
  private final LaneContext ctx;
  private final DestinationHealth health;
  private final DropCounter drops = new DropCounter();
  private final LaneSink sink;
  private final Object lock = new Object();
  // guarded by lock
  private Destination destination;
  private State state = State.IDLE;
  private boolean wakeRequested;
  private boolean retired;
  private Future<?> pendingRetry;
  private List<QueuedDelivery> batch = List.of();
  // only used by the task that holds state RUNNING; the lock hands them from one task to the next
  private int attempts;
  private boolean missingSinkLogged;
  /** How many more leases take one event only, after a batch failed permanently. */
  private int singlesLeft;

  DeliveryLane(Destination destination, LaneContext ctx) {
    this.id = destination.id();
    this.destination = destination;
    this.ctx = ctx;
    this.health = new DestinationHealth(id);
    this.sink = new LaneSink(id, ctx);
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
    health.dropped();
    if (drops.drop()) {
      Destination d = destinationNow();
      log.warn("Delivery queue full: dropped an event for destination {} ({}); {} dropped for it so far",
          d.id(), d.name(), drops.count());
    }
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
   * retry, returns a leased batch to the queue and closes the sink, even while an attempt is in
   * flight (sinks allow {@code close} from another thread).
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
        toRelease = batch;
        batch = List.of();
        state = State.IDLE;
      }
    }
    releaseQuietly(toRelease);
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
        toRelease = batch;
        batch = List.of();
        state = State.IDLE;
      }
      releaseQuietly(toRelease);
    }
  }

  private void drain() {
    while (true) {
      Destination d;
      List<QueuedDelivery> current;
      synchronized (lock) {
        if (retired || !destination.active()) {
          current = batch;
          batch = List.of();
          attempts = 0;
          state = State.IDLE;
        } else {
          current = null;
          wakeRequested = false;
        }
        d = destination;
      }
      if (current != null) {
        // Retired or paused: what was leased waits in the queue (or is removed with a deleted destination).
        releaseQuietly(current);
        return;
      }
      Sink s = null;
      MissingSinkException missing = null;
      Failure failure = null;
      try {
        s = sink.get(d);
        if (s != null) {
          missingSinkLogged = false;
        }
      } catch (MissingSinkException e) {
        missing = e;
      } catch (RuntimeException e) {
        failure = new Failure("sink could not be created: " + describe(e), true, null);
      }
      if (s == null && missing == null && failure == null) {
        continue;
      }
      current = leaseIfNeeded(missing != null ? MISSING_SINK_BATCH
          : s != null && singlesLeft == 0 ? Math.max(1, s.maxBatchSize()) : 1);
      if (current.isEmpty()) {
        synchronized (lock) {
          if (!wakeRequested || retired) {
            state = State.IDLE;
            return;
          }
        }
        continue;
      }
      if (missing != null) {
        failMissingSink(d, current, missing);
        continue;
      }
      if (failure == null && settingsChangedSince(d)) {
        // Saved again since this pass began: go round once more so the attempt uses a sink made from
        // the new settings (the leased batch is kept and re-used).
        continue;
      }
      if (failure == null) {
        failure = attempt(s, current);
        sink.closeIfStale();
      }
      if (failure == null) {
        succeeded(d, current);
        continue;
      }
      Duration delay = failed(d, current, failure);
      if (delay != null) {
        // WAITING for the scheduled attempt (or IDLE if the dispatcher is shutting down).
        scheduleRetry(delay);
        return;
      }
    }
  }

  private List<QueuedDelivery> leaseIfNeeded(int max) {
    synchronized (lock) {
      if (!batch.isEmpty()) {
        return batch;
      }
    }
    List<QueuedDelivery> leased = ctx.queue().lease(id, max);
    if (!leased.isEmpty() && singlesLeft > 0 && max == 1) {
      singlesLeft--;
    }
    synchronized (lock) {
      batch = leased;
    }
    return leased;
  }

  private Failure attempt(Sink s, List<QueuedDelivery> current) {
    List<EncodedEvent> events = current.stream().map(QueuedDelivery::event).toList();
    try {
      s.deliver(events);
      return null;
    } catch (DeliveryException e) {
      return new Failure(String.valueOf(e.getMessage()), e.isRetryable(), e.retryAfter().orElse(null));
    } catch (RuntimeException e) {
      // A sink that throws unexpectedly is treated like a transient failure: it may be a fluke.
      return new Failure(describe(e), true, null);
    }
  }

  private void succeeded(Destination d, List<QueuedDelivery> current) {
    boolean recovered = health.consecutiveFailures() > 0;
    // Counted before the removal, so whoever sees the queue empty (flush) also sees the count.
    health.delivered(current.size(), ctx.clock().instant());
    ctx.queue().remove(current);
    attempts = 0;
    synchronized (lock) {
      batch = List.of();
    }
    if (recovered) {
      log.info("Destination {} ({}) accepts events again", d.id(), d.name());
    }
    if (log.isDebugEnabled()) {
      log.debug("Delivered {} to destination {} ({})",
          current.stream().map(QueuedDelivery::eventId).toList(), d.id(), d.name());
    }
    ctx.progress().run();
  }

  /** Records a failed attempt; returns the delay before the lane goes on, or null to go on now. */
  private Duration failed(Destination d, List<QueuedDelivery> current, Failure f) {
    if (!f.retryable() && current.size() > 1) {
      isolate(d, current, f);
      return null;
    }
    attempts++;
    int consecutive = health.attemptFailed(f.message(), ctx.clock().instant());
    Duration maxBackoff = ctx.retryPolicy().maxBackoff();
    boolean breakerOpen = consecutive >= CIRCUIT_BREAKER_THRESHOLD;
    if (consecutive == CIRCUIT_BREAKER_THRESHOLD) {
      log.warn("Destination {} ({}) failed {} attempts in a row: probing it once every {} until it recovers",
          d.id(), d.name(), consecutive, maxBackoff);
    }
    if (!f.retryable() || attempts >= ctx.retryPolicy().maxAttempts()) {
      // Logged before giving up, which wakes flush(): a caller that flushed sees the line already written.
      log.warn("Destination {} ({}) gave up on {} event(s) after {} attempt(s) ({}): {}", d.id(), d.name(),
          current.size(), attempts, f.retryable() ? "retries exhausted" : "permanent failure", f.message());
      giveUp(current);
      attempts = 0;
      return breakerOpen ? maxBackoff : null;
    }
    if (consecutive == 1) {
      log.warn("Destination {} ({}) did not accept {} event(s), will retry: {}", d.id(), d.name(), current.size(),
          f.message());
    } else {
      log.debug("Destination {} ({}) attempt {} failed: {}", d.id(), d.name(), attempts, f.message());
    }
    Duration delay = ctx.retryPolicy().backoff(attempts, f.retryAfter());
    return breakerOpen && delay.compareTo(maxBackoff) < 0 ? maxBackoff : delay;
  }

  /**
   * Splits a batch the destination refused for good: its first event stays leased for the next
   * attempt, the others go back to the queue in their places and are leased one at a time. Not
   * counted as a failed attempt: the single attempts that follow are, each on its own event.
   */
  private void isolate(Destination d, List<QueuedDelivery> current, Failure f) {
    log.info("Destination {} ({}) refused a batch of {} events ({}): trying them one at a time", d.id(), d.name(),
        current.size(), f.message());
    attempts = 0;
    singlesLeft = current.size() - 1;
    synchronized (lock) {
      batch = List.of(current.get(0));
    }
    releaseQuietly(current.subList(1, current.size()));
  }

  private void failMissingSink(Destination d, List<QueuedDelivery> current, MissingSinkException e) {
    health.attemptFailed(e.getMessage(), ctx.clock().instant());
    if (!missingSinkLogged) {
      missingSinkLogged = true;
      log.warn("Destination {} ({}) cannot be delivered to: {}", d.id(), d.name(), e.getMessage());
    }
    giveUp(current);
  }

  private void giveUp(List<QueuedDelivery> current) {
    health.failed(current.size());
    ctx.queue().remove(current);
    synchronized (lock) {
      batch = List.of();
    }
    ctx.progress().run();
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
      toRelease = batch;
      batch = List.of();
      state = State.IDLE;
    }
    releaseQuietly(toRelease);
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

  private void releaseQuietly(List<QueuedDelivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    try {
      ctx.queue().release(deliveries);
    } catch (RuntimeException e) {
      log.warn("Could not return {} deliveries of destination {} to the queue", deliveries.size(), id, e);
    }
  }

  /** An exception's class and message: what a status may show (sinks keep secrets out of messages). */
  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
