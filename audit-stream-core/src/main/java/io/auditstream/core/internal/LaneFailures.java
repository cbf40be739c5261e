package io.auditstream.core.internal;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.RetryDecider.Decision;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.Isolate;
import io.auditstream.core.internal.RetryDecider.Outcome;
import io.auditstream.core.internal.RetryDecider.Wait;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carries out what {@link RetryDecider} decided about a lane's failed attempt, or about a destination
 * whose kind has no sink: splits the batch, reschedules it in the queue, makes dead letters, pauses a
 * destination that kept failing too long, and says how long the lane waits. The lane only moves between
 * its states.
 *
 * <p>Not thread-safe: only the lane's running task uses it.
 */
final class LaneFailures {
  private final LaneContext ctx;
  private final DeliveryRecorder recorder;
  private final LaneLease lease;
  private final MissingSinkReporter missingSink;
  private final DestinationHealth health;

  LaneFailures(LaneContext ctx, DeliveryRecorder recorder, LaneLease lease, MissingSinkReporter missingSink,
      DestinationHealth health) {
    this.ctx = ctx;
    this.recorder = recorder;
    this.lease = lease;
    this.missingSink = missingSink;
    this.health = health;
  }

  /**
   * What became of one failed batch: {@code split} when it was refused for good and must be split (the
   * caller does it, with the lease), otherwise acted on, with the wait before the next attempt when some
   * of it was rescheduled.
   */
  record Settled(boolean split, Optional<Wait> next) {
    static final Settled SPLIT = new Settled(true, Optional.empty());
  }

  /**
   * The attempt on {@code current}, the batch the lane holds, failed at {@code now}: acts on the
   * decision, after which the lane holds no batch, or (split) the batch's first event alone. Then, when
   * the destination has kept failing for the streamer's {@code autoPauseAfter}, pauses it (see {@link
   * AutoPause}); the lane finds it paused on its next pass.
   *
   * @return how long the lane waits before it attempts anything, when it kept some of the batch for later
   */
  Optional<Wait> failed(Destination d, List<QueuedDelivery> current, AttemptFailure f, Instant now) {
    Settled settled = settle(d, current, f, now);
    if (settled.split()) {
      lease.split();
    } else {
      lease.finished();
    }
    return settled.next();
  }

  /**
   * The attempt on {@code batch}, one batch of a window, failed at {@code now}: counts the failure,
   * reschedules or makes dead letters of its deliveries as {@link RetryDecider} decides, and pauses a
   * destination that kept failing too long; or, when the batch must be split, only says so. The lease is
   * left to the caller, who settles the whole window.
   */
  Settled settle(Destination d, List<QueuedDelivery> batch, AttemptFailure f, Instant now) {
    Decision decision = ctx.decider().onFailure(batch, f, now);
    if (decision instanceof Isolate) {
      recorder.splitting(d, batch.size(), f);
      return Settled.SPLIT;
    }
    Outcome outcome = (Outcome) decision;
    recorder.attemptFailed(d, batch.size(), outcome.rescheduled().size(), f, outcome.next(), now);
    for (GiveUp g : outcome.giveUps()) {
      recorder.deadLettered(d, g, now);
    }
    if (!outcome.rescheduled().isEmpty()) {
      ctx.queue().reschedule(outcome.rescheduled());
    }
    if (f.retryable()) {
      ctx.autoPause().afterFailure(d, health.failingSince(), f.message(), now);
    }
    return new Settled(false, outcome.next());
  }

  /**
   * Makes dead letters of up to {@value MissingSinkReporter#BATCH} due deliveries of the destination,
   * whose kind has no sink.
   *
   * @return false when there were none
   */
  boolean missingSink(Destination d, MissingSinkException e, Instant now) {
    List<QueuedDelivery> current = lease.heldOrLease(MissingSinkReporter.BATCH, now);
    if (current.isEmpty()) {
      return false;
    }
    missingSink.report(d, e, now);
    recorder.deadLettered(d, ctx.decider().missingSink(current, e.getMessage()), now);
    lease.finished();
    return true;
  }
}
