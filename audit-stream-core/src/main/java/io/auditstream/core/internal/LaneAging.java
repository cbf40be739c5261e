package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.RetryDecider.Expiry;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import java.time.Instant;
import java.util.List;

/**
 * Makes dead letters of one destination's deliveries that aged out ({@link RetryDecider#agedOut}): those
 * of a batch the lane just leased, before it attempts them, and those at the head of the queue, in bulk,
 * when the lane finds a batch all aged or the dispatcher sweeps.
 *
 * <p>Not thread-safe: only the lane's running task uses it.
 */
final class LaneAging {
  /** How many deliveries one step of a bulk age check leases. */
  static final int CHUNK = 256;

  private final DestinationId id;
  private final LaneContext ctx;
  private final DeliveryRecorder recorder;
  private final LaneLease lease;

  LaneAging(DestinationId id, LaneContext ctx, DeliveryRecorder recorder, LaneLease lease) {
    this.id = id;
    this.ctx = ctx;
    this.recorder = recorder;
    this.lease = lease;
  }

  /**
   * The batch {@code current}, which the lane holds, without the deliveries that aged out at {@code now}
   * (made dead letters here, the lane's lease trimmed). Null when all of them had aged out: the lane
   * then holds none, and the queue's aged head was made dead letters in bulk.
   */
  List<QueuedDelivery> live(Destination d, List<QueuedDelivery> current, Instant now) {
    if (current.isEmpty()) {
      return current;
    }
    Expiry expiry = ctx.decider().expire(current, now);
    if (expiry.none()) {
      return current;
    }
    for (GiveUp g : expiry.aged()) {
      recorder.deadLettered(d, g, now);
    }
    if (expiry.live().isEmpty()) {
      lease.finished();
      // The oldest deliveries aged out; those behind them likely did too.
      expireHead(d, now);
      return null;
    }
    lease.retain(expiry.live());
    return expiry.live();
  }

  /**
   * Makes dead letters of the destination's pending deliveries that aged out at {@code now}, due or not,
   * oldest first, a chunk at a time, until one that has not (ages follow the queue's order); that one and
   * those after it go back to the queue, their schedule unchanged.
   */
  void expireHead(Destination d, Instant now) {
    while (true) {
      // Leased as if due: leases stop at a delivery that is not due yet, and an aged-out one is given up
      // on whatever its schedule, as are those behind it.
      List<QueuedDelivery> chunk = ctx.queue().lease(id, CHUNK, Instant.MAX);
      if (chunk.isEmpty()) {
        return;
      }
      Expiry expiry = ctx.decider().expire(chunk, now);
      for (GiveUp g : expiry.aged()) {
        recorder.deadLettered(d, g, now);
      }
      if (!expiry.live().isEmpty()) {
        lease.releaseQuietly(expiry.live());
        return;
      }
    }
  }
}
