package io.auditstream.core.internal;

import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what becomes of a destination's deliveries after an attempt, and which of them are too old
 * to attempt at all: deliveries and a time in, decision out. The lane acts on the decisions; the
 * schedule itself travels with each delivery ({@link QueuedDelivery#attempts()}, {@link
 * QueuedDelivery#nextAttemptAt()}), so that a durable queue keeps it across restarts.
 *
 * <p>After a failed attempt on a batch the decision is one of:
 *
 * <ul>
 *   <li>{@link Isolate}: a batch of several events was refused for good; its events are tried one at
 *       a time (see {@link BatchSplitter}), so that one event the destination refuses does not take
 *       the others down with it. No attempt is counted: the single attempts that follow are.
 *   <li>{@link Outcome} with dead letters only: the one event was refused for good; the lane goes on
 *       with the next delivery at once.
 *   <li>{@link Outcome} with deliveries to reschedule: the failure was transient. The whole batch is
 *       due again at one time, {@link RetryPolicy#delay(int, Duration) the wait} after its attempt,
 *       the batch's most-attempted delivery setting the step (a {@code Retry-After} honoured). The
 *       lane waits that long before it attempts anything else: the oldest batch is the probe, and the
 *       deliveries behind it keep their order. A delivery whose next attempt would come at or after
 *       its {@linkplain #deadline deadline} becomes a dead letter now instead: it "aged out".
 * </ul>
 *
 * <p>Pure: a decision depends only on its arguments and the policy. No threads, no clock, no I/O;
 * deterministic when the policy has no jitter. Immutable and thread-safe.
 */
final class RetryDecider {
  /** Deliveries given up on for one reason; each as its dead letter keeps it (attempts counted). */
  record GiveUp(List<QueuedDelivery> deliveries, String reason) {
    GiveUp {
      deliveries = List.copyOf(deliveries);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** When the lane attempts its oldest deliveries next: after {@code delay}, at {@code at}. */
  record Wait(Duration delay, Instant at) {}

  /** What the lane does after a failed attempt. */
  sealed interface Decision permits Isolate, Outcome {}

  /** Try the batch's events one at a time, from now on; no wait, nothing counted. */
  record Isolate() implements Decision {}

  /**
   * Reschedule {@code rescheduled} (copies with one more attempt, all due at the wait's time), make
   * dead letters of {@code giveUps}, and wait before the next attempt when there is a wait
   * ({@code next}: there is exactly when something was rescheduled).
   */
  record Outcome(List<QueuedDelivery> rescheduled, List<GiveUp> giveUps, Optional<Wait> next) implements Decision {
    Outcome {
      rescheduled = List.copyOf(rescheduled);
      giveUps = List.copyOf(giveUps);
      Objects.requireNonNull(next, "next");
    }
  }

  /** Deliveries split by age: {@code live} may be attempted, {@code aged} are given up on. */
  record Expiry(List<QueuedDelivery> live, List<GiveUp> aged) {
    /** Whether no delivery aged out. */
    boolean none() {
      return aged.isEmpty();
    }
  }

  private final RetryPolicy policy;

  RetryDecider(RetryPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** When {@code d} ages out: its {@link QueuedDelivery#enqueuedAt()} plus the policy's maximum age. */
  Instant deadline(QueuedDelivery d) {
    return d.enqueuedAt().plus(policy.maxAge());
  }

  /** Whether {@code d} is too old to be attempted at {@code at}. */
  boolean agedOut(QueuedDelivery d, Instant at) {
    return !at.isBefore(deadline(d));
  }

  /**
   * Decides after a failed attempt, at {@code now}, on {@code batch} (the deliveries as leased, before
   * this attempt was counted).
   *
   * @throws IllegalArgumentException when {@code batch} is empty
   */
  Decision onFailure(List<QueuedDelivery> batch, AttemptFailure failure, Instant now) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("a failed attempt has at least one delivery");
    }
    if (!failure.retryable()) {
      if (batch.size() > 1) {
        return new Isolate();
      }
      QueuedDelivery dead = batch.get(0).failedAttempt(now, failure.message());
      return new Outcome(List.of(), List.of(new GiveUp(List.of(dead), refusedReason(dead.attempts(), failure.message()))),
          Optional.empty());
    }
    int failedAttempts = batch.stream().mapToInt(QueuedDelivery::attempts).max().orElse(0) + 1;
    Duration delay = policy.delay(failedAttempts, failure.retryAfter());
    Instant at = now.plus(delay);
    List<QueuedDelivery> rescheduled = new ArrayList<>(batch.size());
    Map<String, List<QueuedDelivery>> aged = new LinkedHashMap<>();
    for (QueuedDelivery d : batch) {
      QueuedDelivery failed = d.failedAttempt(at, failure.message());
      if (agedOut(d, at)) {
        aged.computeIfAbsent(agedOutReason(failed.attempts(), failed.lastError()), r -> new ArrayList<>()).add(failed);
      } else {
        rescheduled.add(failed);
      }
    }
    Optional<Wait> wait = rescheduled.isEmpty() ? Optional.empty() : Optional.of(new Wait(delay, at));
    return new Outcome(rescheduled, giveUps(aged), wait);
  }

  /** Splits {@code deliveries} into those that may still be attempted at {@code now} and those aged out. */
  Expiry expire(List<QueuedDelivery> deliveries, Instant now) {
    List<QueuedDelivery> live = new ArrayList<>(deliveries.size());
    Map<String, List<QueuedDelivery>> aged = new LinkedHashMap<>();
    for (QueuedDelivery d : deliveries) {
      if (agedOut(d, now)) {
        aged.computeIfAbsent(agedOutReason(d.attempts(), d.lastError()), r -> new ArrayList<>()).add(d);
      } else {
        live.add(d);
      }
    }
    return new Expiry(aged.isEmpty() ? deliveries : live, giveUps(aged));
  }

  /** Gives up on {@code batch}, whose destination's kind has no sink: {@code message} says which artifact to add. */
  GiveUp missingSink(List<QueuedDelivery> batch, String message) {
    return new GiveUp(batch, "cannot be delivered: " + message);
  }

  /** The reason of a dead letter that aged out: {@code "aged out after N attempts: <last error>"}. */
  static String agedOutReason(int attempts, Optional<String> lastError) {
    return "aged out after " + attempts(attempts) + ": " + lastError.orElse("never attempted");
  }

  /** The reason of a dead letter refused for good: {@code "refused for good after N attempts: <error>"}. */
  static String refusedReason(int attempts, String error) {
    return "refused for good after " + attempts(attempts) + ": " + error;
  }

  private static String attempts(int n) {
    return n + (n == 1 ? " attempt" : " attempts");
  }

  private static List<GiveUp> giveUps(Map<String, List<QueuedDelivery>> byReason) {
    List<GiveUp> out = new ArrayList<>(byReason.size());
    byReason.forEach((reason, deliveries) -> out.add(new GiveUp(deliveries, reason)));
    return out;
  }
}
