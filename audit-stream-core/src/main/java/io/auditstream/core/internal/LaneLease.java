package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one delivery lane holds leased from the queue and has not sent yet: the batch it holds for its next
 * attempt, oldest first (once sent, a batch is its attempt's, which settles it with the queue). A held
 * batch is split when the destination refused it for good (see {@link BatchSplitter}), trimmed of
 * deliveries that aged out, given back to the queue when the lane stops. A batch that failed for now goes
 * back to the queue with its new schedule, and is leased again (the same deliveries, so the same ids and
 * bytes) when due.
 *
 * <p>Thread-safe: one lock guards the batch, never held during queue I/O. The lane calls {@link
 * #take} under its own lock, so that taking the batch and the lane's change of state are one step
 * (this lock nests inside the lane's, never the other way round).
 */
final class LaneLease {
  private static final Logger log = LoggerFactory.getLogger(LaneLease.class);

  private final DestinationId id;
  private final DeliveryQueue queue;
  private final BatchSplitter splitter = new BatchSplitter();
  // guarded by this: leased, not sent yet
  private List<QueuedDelivery> batch = List.of();

  LaneLease(DestinationId id, DeliveryQueue queue) {
    this.id = id;
    this.queue = queue;
  }

  /** How many events the next lease may take, for a sink that takes batches of {@code sinkMaxBatchSize}. */
  int leaseSize(int sinkMaxBatchSize) {
    return splitter.leaseSize(sinkMaxBatchSize);
  }

  /**
   * The batch held; when there is none, a new lease of up to {@code max} deliveries due at {@code now}
   * (empty when none is). Called only by the lane's running task.
   */
  List<QueuedDelivery> heldOrLease(int max, Instant now) {
    synchronized (this) {
      if (!batch.isEmpty()) {
        return batch;
      }
    }
    List<QueuedDelivery> leased = queue.lease(id, max, now);
    splitter.leased(max, leased.size());
    synchronized (this) {
      batch = leased;
    }
    return leased;
  }

  /** Whether leases still take one event at a time (a refused batch is being split). */
  boolean splitting() {
    return splitter.splitting();
  }

  /**
   * Leases up to {@code max} more deliveries due at {@code now}, behind those held, for a window of
   * several batches; they are held with the others. Empty when none is due. Called only by the lane's
   * running task.
   */
  List<QueuedDelivery> leaseMore(int max, Instant now) {
    List<QueuedDelivery> leased = queue.lease(id, max, now);
    splitter.leased(max, leased.size());
    if (!leased.isEmpty()) {
      synchronized (this) {
        List<QueuedDelivery> all = new ArrayList<>(batch.size() + leased.size());
        all.addAll(batch);
        all.addAll(leased);
        batch = all;
      }
    }
    return leased;
  }

  /**
   * Holds no more {@code gone}, which the caller dealt with (made dead letters). Called only by the lane's
   * running task.
   */
  void forget(List<QueuedDelivery> gone) {
    Set<QueuedDelivery.Key> keys = new HashSet<>();
    gone.forEach(q -> keys.add(q.key()));
    synchronized (this) {
      batch = batch.stream().filter(q -> !keys.contains(q.key())).toList();
    }
  }

  /**
   * Splits the batch held (of two or more): its first event stays held for the next attempt, the
   * others go back to the queue and are leased one at a time. Called only by the lane's running task.
   */
  void split() {
    BatchSplitter.Split split;
    synchronized (this) {
      split = splitter.split(List.of(batch), true);
      batch = split.keep();
    }
    releaseQuietly(split.release());
  }

  /**
   * Attempts in flight on {@code refused} (at least one batch) were refused for good: they are split as
   * {@link BatchSplitter#split(List, boolean)} says, what it keeps is held for the next attempt (ahead of
   * what is held already) and the others go back to the queue. Called only by the lane's running task.
   */
  void split(List<List<QueuedDelivery>> refused, boolean keepFirst) {
    BatchSplitter.Split split;
    synchronized (this) {
      split = splitter.split(refused, keepFirst);
      List<QueuedDelivery> kept = new ArrayList<>(split.keep());
      kept.addAll(batch);
      batch = List.copyOf(kept);
    }
    releaseQuietly(split.release());
  }

  /**
   * Keeps only {@code live} of the batch held, the others having been dealt with (made dead letters)
   * by the caller. Called only by the lane's running task.
   */
  synchronized void retain(List<QueuedDelivery> live) {
    batch = List.copyOf(live);
  }

  /** The batch held was delivered, rescheduled or given up on (the queue told by the caller): holds none. */
  synchronized void finished() {
    batch = List.of();
  }

  /**
   * {@code batches}, cut from what is held, were sent: the lane's attempts answer for them from now on; the
   * rest stays held for the next attempt.
   */
  synchronized void sent(List<List<QueuedDelivery>> batches) {
    Set<QueuedDelivery.Key> sent = new HashSet<>();
    batches.forEach(b -> b.forEach(q -> sent.add(q.key())));
    batch = sent.size() >= batch.size() ? List.of() : batch.stream().filter(q -> !sent.contains(q.key())).toList();
  }

  /** Whether a batch is held (leased, not sent). */
  synchronized boolean holding() {
    return !batch.isEmpty();
  }

  /** How many deliveries the queue holds for the destination, pending or leased. */
  int queued() {
    return queue.size(id);
  }

  /**
   * Holds no batch from now on, and returns it, for the caller to {@link #releaseQuietly}. Attempts in
   * flight keep their own deliveries.
   */
  synchronized List<QueuedDelivery> take() {
    List<QueuedDelivery> taken = batch;
    batch = List.of();
    return taken;
  }

  /** Returns {@code deliveries} to the queue; a queue that fails is logged, not propagated. */
  void releaseQuietly(List<QueuedDelivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    try {
      queue.release(deliveries);
    } catch (RuntimeException e) {
      log.warn("Could not return {} deliveries of destination {} to the queue", deliveries.size(), id, e);
    }
  }
}
