package io.auditstream.core.internal;

import io.auditstream.api.spi.QueuedDelivery;
import java.util.List;

/**
 * Splits a batch that the destination refused for good, so that one event it will never take (too
 * large, say) does not take the others down with it: the batch's first event stays leased for the
 * next attempt, the others go back to the queue in their places, and the lane then leases one event
 * at a time until each of them has had an attempt of its own. After that, leases take full batches
 * again.
 *
 * <p>Not thread-safe: only the lane's running task uses it (the lane's lock hands it from one task
 * to the next).
 */
final class BatchSplitter {
  /** The parts of a split batch. */
  record Split(List<QueuedDelivery> keep, List<QueuedDelivery> release) {}

  /** How many more leases take one event only. */
  private int singlesLeft;

  /** The most events the next lease may take from a sink that takes {@code sinkMaxBatchSize}. */
  int leaseSize(int sinkMaxBatchSize) {
    return singlesLeft > 0 ? 1 : Math.max(1, sinkMaxBatchSize);
  }

  /** Takes note of a lease of {@code count} events, asked for with a bound of {@code max}. */
  void leased(int max, int count) {
    if (count > 0 && max == 1 && singlesLeft > 0) {
      singlesLeft--;
    }
  }

  /** Whether leases still take one event at a time. */
  boolean splitting() {
    return singlesLeft > 0;
  }

  /**
   * Splits {@code refused}: {@link Split#keep()} is its first event, for the lane to keep leased;
   * {@link Split#release()} the others, for it to return to the queue.
   *
   * @throws IllegalArgumentException when {@code refused} has fewer than two events
   */
  Split split(List<QueuedDelivery> refused) {
    if (refused.size() < 2) {
      throw new IllegalArgumentException("only a batch of several events can be split (was " + refused.size() + ")");
    }
    singlesLeft = refused.size() - 1;
    return new Split(List.of(refused.get(0)), List.copyOf(refused.subList(1, refused.size())));
  }
}
