package io.auditstream.core.internal;

import io.auditstream.api.LogText;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.Wait;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what became of one destination's deliveries: counts it on the destination's {@link
 * DestinationHealth} and the host's {@link EngineCounters}, tells the queue (removed, dead letters),
 * tells the host's listener and observer, logs what an operator should see, and wakes {@code flush}.
 *
 * <p>Logging: the first failure in a row, dead letters (with their event ids) and drops at WARN (drops
 * at most once per {@link DropCounter#WARN_INTERVAL}, every drop with its id at DEBUG); a recovery and
 * a split batch at INFO; per-event detail and further failures at DEBUG.
 *
 * <p>Thread-safe: {@link #dropped} may be called from any thread; the other methods only by the
 * lane's running task (or the dispatcher closing, once the lane stopped).
 */
final class DeliveryRecorder {
  private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);
  /** How many event ids one log line names at most; more go on further lines. */
  static final int IDS_PER_LINE = 100;
  /** The reason of a delivery dropped because the streamer closed before it was made. */
  static final String CLOSED = "closed";

  private final DestinationHealth health;
  private final LaneContext ctx;
  private final DropCounter drops = new DropCounter();

  DeliveryRecorder(DestinationHealth health, LaneContext ctx) {
    this.health = health;
    this.ctx = ctx;
  }

  /** {@code batch} was accepted: counted, told to the observer, then removed from the queue. */
  void delivered(Destination d, List<QueuedDelivery> batch, Instant at) {
    boolean recovered = health.consecutiveFailures() > 0;
    // Counted before the removal, so whoever sees the queue empty (flush) also sees the count.
    health.delivered(batch.size(), at);
    ctx.counters().delivered(batch.size());
    ctx.observer().delivered(d, batch, at);
    ctx.queue().remove(batch);
    if (recovered) {
      log.info("Destination {} ({}) accepts events again", d.id(), LogText.escape(d.name()));
    }
    if (log.isDebugEnabled()) {
      log.debug("Delivered {} to destination {} ({})", LogText.escape(ids(batch).toString()), d.id(),
          LogText.escape(d.name()));
    }
    ctx.progress().run();
  }

  /** A batch of {@code size} was refused for good and is split: nothing is counted yet. */
  void splitting(Destination d, int size, AttemptFailure f) {
    log.info("Destination {} ({}) refused a batch of {} events ({}): trying them one at a time", d.id(),
        LogText.escape(d.name()),
        size, LogText.escape(f.message()));
  }

  /**
   * An attempt on a batch of {@code size} failed; {@code wait} is when the lane attempts again, if it
   * keeps any of the batch: then {@code rescheduled} of the batch are attempted again (the others are given
   * up on, and told to {@link #deadLettered}).
   */
  void attemptFailed(Destination d, int size, int rescheduled, AttemptFailure f, Optional<Wait> wait, Instant at) {
    boolean first = health.consecutiveFailures() == 0;
    health.attemptFailed(f.message(), f.retryable(), at);
    if (wait.isEmpty()) {
      ctx.observer().attemptFailed(d, size, false);
      return;
    }
    ctx.observer().attemptFailed(d, rescheduled, true);
    if (first) {
      log.warn("Destination {} ({}) did not accept {} event(s), will retry in {} (the events behind wait): {}",
          d.id(), LogText.escape(d.name()), size, wait.get().delay(), LogText.escape(f.message()));
    } else {
      log.debug("Destination {} ({}) failed {} attempts in a row, next in {}: {}", d.id(), LogText.escape(d.name()),
          health.consecutiveFailures(), wait.get().delay(), LogText.escape(f.message()));
    }
  }

  /**
   * The lane gave up on {@code giveUp}'s deliveries at {@code at}: logged with their ids, counted,
   * reported to the listener and the observer, made dead letters in the queue.
   */
  void deadLettered(Destination d, GiveUp giveUp, Instant at) {
    List<QueuedDelivery> batch = giveUp.deliveries();
    if (batch.isEmpty()) {
      return;
    }
    // Logged before the queue changes, which wakes flush(): a caller that flushed sees the line already written.
    for (int from = 0; from < batch.size(); from += IDS_PER_LINE) {
      List<QueuedDelivery> part = batch.subList(from, Math.min(batch.size(), from + IDS_PER_LINE));
      log.warn("Destination {} ({}) gave up on {} event(s), kept as dead letters ({}): {}", d.id(),
          LogText.escape(d.name()),
          part.size(), LogText.escape(giveUp.reason()), LogText.escape(ids(part).toString()));
    }
    health.failed(batch.size());
    ctx.counters().deadLettered(batch.size());
    ctx.observer().deadLettered(d, batch.size());
    // Told before the queue changes too: once flush() returns, the listener has heard of every dead letter.
    for (QueuedDelivery q : batch) {
      ctx.listener().deadLetter(new DeadLetter(q.destinationId(), q.event(), q.enqueuedAt(), q.attempts(), at,
          giveUp.reason()));
    }
    ctx.queue().deadLetter(batch, at, giveUp.reason());
    ctx.progress().run();
  }

  /**
   * An accepted event will not reach the destination: counted, reported to the listener, logged with its
   * id (at WARN now and then, always at DEBUG).
   */
  void dropped(Supplier<Destination> destination, String eventId, String reason) {
    // The listener first: whoever sees the count has its report at the listener too.
    ctx.listener().dropped(health.id(), eventId, reason);
    ctx.counters().dropped(1);
    health.dropped();
    if (drops.drop()) {
      Destination d = destination.get();
      log.warn("Dropped event {} for destination {} ({}): {}; {} dropped for it so far", LogText.escape(eventId),
          d.id(), LogText.escape(d.name()),
          LogText.escape(reason), drops.count());
    } else {
      log.debug("Dropped event {} for destination {}: {}", LogText.escape(eventId), health.id(),
          LogText.escape(reason));
    }
  }

  /**
   * The streamer closed with these events undelivered for the destination, and they are not kept:
   * each counted and reported to the listener as dropped ({@code "closed"}), all logged with their ids.
   */
  void droppedAtClose(Supplier<Destination> destination, List<String> eventIds) {
    Destination d = destination.get();
    for (int from = 0; from < eventIds.size(); from += IDS_PER_LINE) {
      List<String> part = eventIds.subList(from, Math.min(eventIds.size(), from + IDS_PER_LINE));
      log.warn("Audit streaming closed with {} event(s) undelivered for destination {} ({}); they are dropped: {}",
          part.size(), d.id(), LogText.escape(d.name()), LogText.escape(part.toString()));
    }
    for (String eventId : eventIds) {
      ctx.listener().dropped(health.id(), eventId, CLOSED);
      ctx.counters().dropped(1);
      health.dropped();
    }
  }

  static List<String> ids(List<QueuedDelivery> deliveries) {
    return deliveries.stream().map(QueuedDelivery::eventId).toList();
  }
}
