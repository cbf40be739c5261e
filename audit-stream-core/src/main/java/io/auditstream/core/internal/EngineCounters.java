package io.auditstream.core.internal;

import io.auditstream.core.DeliveryStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The host-level counters behind {@link DeliveryStats}: what became of the host's events, across all
 * destinations. Events accepted for routing are not counted here but by the router's ingress (its claims,
 * which cost the host's thread nothing more), and added in by {@link #snapshot}. Thread-safe and lock-free:
 * each count is one add.
 */
final class EngineCounters {
  private final LongAdder acceptedWithoutDestination = new LongAdder();
  private final LongAdder refusedFull = new LongAdder();
  private final LongAdder refusedClosed = new LongAdder();
  private final LongAdder refusedTooLarge = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();

  /** An event was accepted and discarded: its group has no active destination. */
  void acceptedWithoutDestination() {
    acceptedWithoutDestination.increment();
  }

  void refusedFull() {
    refusedFull.increment();
  }

  void refusedClosed() {
    refusedClosed.increment();
  }

  /** An event was refused: its JSON payload is larger than the engine's limit. */
  void refusedTooLarge() {
    refusedTooLarge.increment();
  }

  void dropped(long n) {
    dropped.add(n);
  }

  void delivered(long n) {
    delivered.add(n);
  }

  void deadLettered(long n) {
    deadLettered.add(n);
  }

  /** Events refused because the ingress queue was full. */
  long refusedFullCount() {
    return refusedFull.sum();
  }

  /**
   * The counts now; each is exact, the set is not taken atomically.
   *
   * @param acceptedForRouting the events the router's ingress accepted since start
   */
  DeliveryStats snapshot(long acceptedForRouting) {
    return new DeliveryStats(acceptedForRouting + acceptedWithoutDestination.sum(), refusedFull.sum(),
        refusedClosed.sum(), dropped.sum(), delivered.sum(), deadLettered.sum(), refusedTooLarge.sum());
  }
}
