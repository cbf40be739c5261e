package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.LaneFailures.Settled;
import io.auditstream.core.internal.RetryDecider.Expiry;
import io.auditstream.core.internal.RetryDecider.GiveUp;
import io.auditstream.core.internal.RetryDecider.Wait;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The deliveries one lane has in flight at once: a window of up to W batches, W being the engine's
 * {@link DeliverySettings#maxInFlightPerDestination()} or the sink's {@link Sink#maxInFlight()},
 * whichever is smaller. The window's batches are leased oldest first (each up to the sink's batch size,
 * one event while a refused batch is being split), all sent at once with {@link Sink#deliverAsync}, and
 * settled together once every one of them was answered or timed out (lock-step windows): the successes
 * are counted and removed from the queue in one call, each failure is acted on as a failed attempt alone
 * would be.
 *
 * <p>While the destination is failing (a transient failure since its last success), the window is its
 * oldest batch alone: the probe. A success opens the window again. With W = 1 the lane delivers exactly
 * as one attempt at a time always did, in order; with more, a destination may receive the events of one
 * window out of order.
 *
 * <p>Not thread-safe: only the lane's running task uses it (the executor and the window's futures hand
 * it from one task to the next).
 */
final class LaneWindow {
  /** One batch of a window and what became of it: null when the destination accepted it. */
  record Attempt(List<QueuedDelivery> batch, CompletableFuture<AttemptFailure> result) {}

  /** A window that was sent, for {@code destination} as it was then. */
  record Sent(Destination destination, List<Attempt> attempts) {}

  private final LaneContext ctx;
  private final LaneLease lease;
  private final LaneSink sink;
  private final DeliveryRecorder recorder;
  private final LaneFailures failures;
  private final DestinationHealth health;

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
   * How many batches the next window of {@code s} may hold: its room ({@link LaneSink#room}), or one at
   * most while the destination is failing. Zero when earlier deliveries still unanswered fill the room.
   */
  int size(Sink s) {
    int room = sink.room(s);
    return health.failingSince() != null ? Math.min(1, room) : room;
  }

  /**
   * The window's batches: {@code first}, which the lane holds, then further batches leased behind it while
   * they are due, up to {@code size} batches in all: in one lease, or one event at a time while a refused
   * batch is being split. Deliveries that aged out are made dead letters, and the window ends there.
   */
  List<List<QueuedDelivery>> fill(Destination d, Sink s, List<QueuedDelivery> first, int size, Instant now) {
    List<List<QueuedDelivery>> batches = new ArrayList<>(size);
    batches.add(first);
    if (size > 1 && !lease.splitting()) {
      // The rest of the window in one lease: one queue call (one transaction, with a durable queue) per window.
      int batchSize = lease.leaseSize(s.maxBatchSize());
      List<QueuedDelivery> live = withoutAged(d, lease.leaseMore((size - 1) * batchSize, now), now);
      for (int from = 0; from < live.size(); from += batchSize) {
        batches.add(List.copyOf(live.subList(from, Math.min(live.size(), from + batchSize))));
      }
      return batches;
    }
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
   * Sends every batch to {@code s}, oldest first, without waiting for any. The future completes once
   * every batch was answered or timed out ({@link DeliverySettings#answerBound}); never exceptionally.
   */
  CompletableFuture<Sent> send(Destination d, Sink s, List<List<QueuedDelivery>> batches) {
    List<Attempt> attempts = new ArrayList<>(batches.size());
    for (List<QueuedDelivery> batch : batches) {
      attempts.add(new Attempt(batch, sink.start(s, batch, ctx.settings().answerBound(batch.size()))));
    }
    Sent sent = new Sent(d, List.copyOf(attempts));
    return CompletableFuture.allOf(attempts.stream().map(Attempt::result).toArray(CompletableFuture[]::new))
        .thenApply(v -> sent);
  }

  /**
   * Settles a window that landed, at {@code now}: the batches accepted are counted and removed from the
   * queue (one call), then each failed one is acted on, oldest first, as a failed attempt alone would be;
   * batches refused for good are split. Successes are recorded first, so that a window with a failure
   * leaves the destination failing, and probed.
   *
   * @return how long the lane waits before it attempts anything, when a failed batch was rescheduled: the
   *     wait of the oldest one, which heads the queue again
   */
  Optional<Wait> settle(Sent sent, Instant now) {
    Destination d = sent.destination();
    List<QueuedDelivery> delivered = new ArrayList<>();
    List<Attempt> failed = new ArrayList<>();
    for (Attempt a : sent.attempts()) {
      if (a.result().join() == null) {
        delivered.addAll(a.batch());
      } else {
        failed.add(a);
      }
    }
    if (!delivered.isEmpty()) {
      recorder.delivered(d, delivered, now);
    }
    Optional<Wait> wait = Optional.empty();
    List<List<QueuedDelivery>> refused = new ArrayList<>();
    for (Attempt a : failed) {
      Settled settled = failures.settle(d, a.batch(), a.result().join(), now);
      if (settled.split()) {
        refused.add(a.batch());
      } else if (wait.isEmpty()) {
        wait = settled.next();
      }
    }
    if (refused.isEmpty()) {
      lease.finished();
    } else {
      // Waiting for a probe, the lane must not hold an event back from it.
      lease.split(refused, wait.isEmpty());
    }
    return wait;
  }
}
