package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.LaneFailures.Settled;
import io.auditstream.core.internal.RetryDecider.Expiry;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The deliveries one lane has in flight: up to W attempts at once, W being the engine's {@link
 * DeliverySettings#maxInFlightPerDestination()} or the sink's {@link Sink#maxInFlight()}, whichever is
 * smaller (a sliding window). Batches are leased oldest first (each up to the sink's batch size, one event
 * while a refused batch is being split) as room frees up, and sent at once with {@link Sink#deliverAsync};
 * each attempt lands on its own as soon as it was answered, or timed out, and the lane settles whatever
 * landed together: the successes are counted and removed from the queue in one call, each failure is acted
 * on as a failed attempt alone would be.
 *
 * <p>While the destination is failing (a transient failure since its last success), nothing more is sent
 * until every attempt in flight landed; then the window is the oldest batch alone: the probe. A success
 * opens the window again. With W = 1 the lane delivers exactly as one attempt at a time always did, in
 * order; with more, a destination may receive events out of order.
 *
 * <p>Not thread-safe: only the lane's running task uses it (the lane's state hands it from one task to the
 * next).
 */
final class LaneWindow {
  /**
   * An attempt that landed: on {@code batch}, for {@code destination} as it was when sent, a probe when
   * sent after a failure was rescheduled; null {@code failure} when the destination accepted it.
   */
  record Attempt(Destination destination, List<QueuedDelivery> batch, boolean probe, AttemptFailure failure) {}

  private final LaneContext ctx;
  private final LaneLease lease;
  private final LaneSink sink;
  private final DeliveryRecorder recorder;
  private final LaneFailures failures;
  private final DestinationHealth health;
  // A failed batch was rescheduled, and no attempt sent since has succeeded: the next attempt is a probe,
  // alone. (Successes of attempts sent before the failure, landing after it, do not open the window.)
  private boolean probing;
  // The earliest wait of failed batches settled while other attempts were still in flight: the lane waits
  // once the last of them landed.
  private Wait deferred;
  private final BatchGrouping grouping = new BatchGrouping();

  LaneWindow(LaneContext ctx, LaneLease lease, LaneSink sink, DeliveryRecorder recorder, LaneFailures failures,
      DestinationHealth health) {
    this.ctx = ctx;
    this.lease = lease;
    this.sink = sink;
    this.recorder = recorder;
    this.failures = failures;
    this.health = health;
  }

  /**
   * How many more batches may be sent to {@code s} now, with {@code inFlight} attempts in flight or landed
   * and not settled: its room ({@link LaneSink#room}) less those; while the destination is failing or to
   * be probed, none until every attempt landed, then one. Zero when unanswered deliveries fill the room.
   */
  int size(Sink s, int inFlight) {
    // An answered attempt frees its place once the lane settled it: a failure stops new sends (and keeps
    // the order of a window of one) before anything else is sent.
    int room = Math.max(0, Math.min(sink.room(s), sink.allowed(s) - inFlight));
    if (probing || health.failingSince() != null) {
      return inFlight > 0 ? 0 : Math.min(1, room);
    }
    return room;
  }

  /**
   * How long to hold the first event of a batch back, for others to join it: the sink's {@link
   * Sink#batchLinger()} when nothing is in flight or held, the lane is not probing, the pass does not end a
   * wait (a linger lasts once), and some but fewer than a batch are pending; otherwise zero. Under load the lane
   * always has attempts in flight, so it never lingers then.
   */
  Duration linger(Sink s, int inFlight, boolean waitOver) {
    Duration linger = s.batchLinger();
    if (linger.isZero() || linger.isNegative() || waitOver || inFlight > 0 || probing || s.maxBatchSize() < 2
        || lease.holding()) {
      return Duration.ZERO;
    }
    int queued = lease.queued();
    return queued > 0 && queued < s.maxBatchSize() ? linger : Duration.ZERO;
  }

  /**
   * The batches to send now: {@code first}, which the lane holds, and what is leased behind it while due,
   * up to {@code size} batches in all, cut by {@link BatchGrouping} (the sink's events and bytes per batch,
   * a rescheduled batch as it was): in one lease, or one event at a time while a refused batch is being
   * split. What does not fit stays held for the next attempt. Deliveries that aged out are made dead
   * letters, and the batches end there.
   */
  List<List<QueuedDelivery>> fill(Destination d, Sink s, List<QueuedDelivery> first, int size, Instant now) {
    if (!lease.splitting()) {
      int batchSize = lease.leaseSize(s.maxBatchSize());
      List<QueuedDelivery> all = first;
      if (size > 1) {
        // The rest of the room in one lease: one queue call (one transaction, with a durable queue).
        List<QueuedDelivery> more = withoutAged(d, lease.leaseMore((size - 1) * batchSize, now), now);
        if (!more.isEmpty()) {
          all = new ArrayList<>(first);
          all.addAll(more);
        }
      }
      return grouping.cut(all, size, batchSize, s.maxBatchBytes());
    }
    List<List<QueuedDelivery>> batches = new ArrayList<>(size);
    batches.add(first);
    while (batches.size() < size) {
      List<QueuedDelivery> next = lease.leaseMore(lease.leaseSize(s.maxBatchSize()), now);
      if (next.isEmpty()) {
        break;
      }
      List<QueuedDelivery> live = withoutAged(d, next, now);
      if (live.size() < next.size()) {
        if (!live.isEmpty()) {
          batches.add(live);
        }
        break;
      }
      batches.add(next);
    }
    return batches;
  }

  /** {@code leased} without the deliveries that aged out, which are made dead letters and no longer held. */
  private List<QueuedDelivery> withoutAged(Destination d, List<QueuedDelivery> leased, Instant now) {
    if (leased.isEmpty()) {
      return leased;
    }
    Expiry expiry = ctx.decider().expire(leased, now);
    if (expiry.none()) {
      return leased;
    }
    List<QueuedDelivery> aged = new ArrayList<>();
    for (GiveUp g : expiry.aged()) {
      recorder.deadLettered(d, g, now);
      aged.addAll(g.deliveries());
    }
    lease.forget(aged);
    return expiry.live();
  }

  /**
   * Sends every batch to {@code s}, oldest first, without waiting for any; the lease holds them as in
   * flight. Each attempt is handed to {@code landed} once it was answered or timed out ({@link
   * DeliverySettings#answerBound}), on the thread that answered (a sink's or a timer's).
   */
  void send(Destination d, Sink s, List<List<QueuedDelivery>> batches, Consumer<Attempt> landed) {
    lease.sent(batches);
    boolean probe = probing;
    for (List<QueuedDelivery> batch : batches) {
      sink.start(s, d, batch, ctx.settings().answerBound(batch.size()))
          .thenAccept(failure -> landed.accept(new Attempt(d, batch, probe, failure)));
    }
  }

  /**
   * Settles the attempts that landed, at {@code now}: those accepted are counted and removed from the
   * queue (one call), then each failed one is acted on, oldest first, as a failed attempt alone would be;
   * batches refused for good are split. Successes are recorded first, so that landings with a failure
   * leave the destination failing, and probed.
   *
   * The earliest wait of the failed batches that were rescheduled is kept ({@link #defer}) for the lane to
   * wait for once nothing is in flight any more.
   */
  void settle(List<Attempt> landed, Instant now) {
    List<QueuedDelivery> delivered = new ArrayList<>();
    Destination deliveredTo = null;
    for (Attempt a : landed) {
      if (a.failure() == null) {
        delivered.addAll(a.batch());
        deliveredTo = a.destination();
        probing &= !a.probe();
      }
    }
    if (!delivered.isEmpty()) {
      recorder.delivered(deliveredTo, delivered, now);
    }
    List<List<QueuedDelivery>> refused = new ArrayList<>();
    for (Attempt a : landed) {
      if (a.failure() == null) {
        grouping.settled(a.batch());
        continue;
      }
      Settled settled = failures.settle(a.destination(), a.batch(), a.failure(), now);
      if (settled.split()) {
        grouping.settled(a.batch());
        refused.add(a.batch());
        continue;
      }
      if (settled.next().isPresent()) {
        grouping.rescheduled(a.batch());
        defer(settled.next());
      } else {
        grouping.settled(a.batch());
      }
    }
    if (!refused.isEmpty()) {
      // Waiting for a probe, the lane must not hold an event back from it.
      lease.split(refused, deferred == null);
    }
  }

  /** Keeps {@code wait}, when there is one, as the lane's next wait, unless one kept already ends earlier. */
  void defer(Optional<Wait> wait) {
    if (wait.isPresent()) {
      probing = true;
      if (deferred == null || wait.get().at().isBefore(deferred.at())) {
        deferred = wait.get();
      }
    }
  }

  /** Whether a wait is kept for the lane. */
  boolean waitKept() {
    return deferred != null;
  }

  /** The wait kept for the lane, from {@code now} on, and keeps it no longer. */
  Wait takeWait(Instant now) {
    Wait w = deferred;
    deferred = null;
    return new Wait(w.at().isAfter(now) ? Duration.between(now, w.at()) : Duration.ZERO, w.at());
  }
}
