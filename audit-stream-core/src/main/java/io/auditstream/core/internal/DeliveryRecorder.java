package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.RetryState;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of one destination's deliveries: counts it on the destination's {@link
 * DestinationHealth}, removes finished deliveries from the queue, logs what an operator should see,
 * and wakes {@code flush}.
 *
 * <p>Logging: a first failure, a give-up, an opening breaker and queue drops at WARN (drops at most
 * once per {@link DropCounter#WARN_INTERVAL}); a recovery and a split batch at INFO; per-event
 * detail and further retries at DEBUG.
 *
 * <p>Thread-safe: {@link #dropped} may be called from any thread; the other methods only by the
 * lane's running task.
 */
final class DeliveryRecorder {
  private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);

  private final DestinationHealth health;
  private final LaneContext ctx;
  private final DropCounter drops = new DropCounter();

  DeliveryRecorder(DestinationHealth health, LaneContext ctx) {
    this.health = health;
    this.ctx = ctx;
  }

  /** {@code batch} was accepted: counted, then removed from the queue. */
  void delivered(Destination d, List<QueuedDelivery> batch, boolean recovered) {
    // Counted before the removal, so whoever sees the queue empty (flush) also sees the count.
    health.delivered(batch.size(), ctx.clock().instant());
    ctx.queue().remove(batch);
    if (recovered) {
      log.info("Destination {} ({}) accepts events again", d.id(), d.name());
    }
    if (log.isDebugEnabled()) {
      log.debug("Delivered {} to destination {} ({})",
          batch.stream().map(QueuedDelivery::eventId).toList(), d.id(), d.name());
    }
    ctx.progress().run();
  }

  /** A batch of {@code size} was refused for good and is split: nothing is counted yet. */
  void splitting(Destination d, int size, AttemptFailure f) {
    log.info("Destination {} ({}) refused a batch of {} events ({}): trying them one at a time", d.id(), d.name(),
        size, f.message());
  }

  /**
   * An attempt on a batch of {@code size} failed, which moved the lane from {@code before} to
   * {@code after}.
   *
   * @param retrying whether the batch will be attempted again (otherwise {@link #gaveUp} follows)
   */
  void attemptFailed(Destination d, int size, AttemptFailure f, RetryState before, RetryState after,
      Duration probeInterval, boolean retrying) {
    health.attemptFailed(f.message(), ctx.clock().instant());
    if (!before.breakerOpen() && after.breakerOpen()) {
      log.warn("Destination {} ({}) failed {} attempts in a row: probing it once every {} until it recovers",
          d.id(), d.name(), after.consecutiveFailures(), probeInterval);
    }
    if (!retrying) {
      return;
    }
    if (after.consecutiveFailures() == 1) {
      log.warn("Destination {} ({}) did not accept {} event(s), will retry: {}", d.id(), d.name(), size,
          f.message());
    } else {
      log.debug("Destination {} ({}) attempt {} failed: {}", d.id(), d.name(), after.attempts(), f.message());
    }
  }

  /** The lane gave up on {@code batch}: logged, counted as failed, removed from the queue. */
  void gaveUp(Destination d, List<QueuedDelivery> batch, GiveUp decision, String error) {
    // Logged before giving up, which wakes flush(): a caller that flushed sees the line already written.
    log.warn("Destination {} ({}) gave up on {} event(s) after {} attempt(s) ({}): {}", d.id(), d.name(),
        batch.size(), decision.attempts(), decision.reason().description(), error);
    failed(batch);
  }

  /** {@code batch} was failed without an attempt (its destination's kind has no sink). */
  void failed(List<QueuedDelivery> batch) {
    health.failed(batch.size());
    ctx.queue().remove(batch);
    ctx.progress().run();
  }

  /** The queue refused an event for the destination: counted, and logged now and then. */
  void dropped(Supplier<Destination> destination) {
    health.dropped();
    if (drops.drop()) {
      Destination d = destination.get();
      log.warn("Delivery queue full: dropped an event for destination {} ({}); {} dropped for it so far",
          d.id(), d.name(), drops.count());
    }
  }
}
