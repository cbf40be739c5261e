package io.auditstream.core.internal;

import io.auditstream.api.spi.QueuedDelivery;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a batch that the destination refused for good, so that one event it will never take (too
 * large, say) does not take the others down with it: the batch's first event stays leased for the
 * next attempt, the others go back to the queue in their places, and the lane then leases one event
 * at a time until each of them has had an attempt of its own. After that, leases take full batches
 * again. With several batches in flight at once, every refused batch of a window is split so.
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
    return split(List.of(refused), true);
  }

  /**
   * Splits the batches of one window that were refused for good, oldest first, so that each of their
   * events gets an attempt of its own: with {@code keepFirst}, the first event stays leased ({@link
   * Split#keep()}) and the others go back to the queue; without, all of them go back (the lane then waits
   * for a probe, which must not be held up by an event kept leased).
   */
  Split split(List<List<QueuedDelivery>> refused, boolean keepFirst) {
    List<QueuedDelivery> all = new ArrayList<>();
    refused.forEach(all::addAll);
    if (all.isEmpty()) {
      return new Split(List.of(), List.of());
    }
    int kept = keepFirst ? 1 : 0;
    singlesLeft = all.size() - kept;
    return new Split(List.copyOf(all.subList(0, kept)), List.copyOf(all.subList(kept, all.size())));
  }
}
