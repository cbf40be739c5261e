package io.auditstream.api.spi;

import io.auditstream.api.destination.DestinationId;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where deliveries wait between {@code stream(event)} and their destination's acknowledgement. The
 * engine's default keeps them in memory; a durable implementation (an outbox in an embedded store or
 * a database) makes delivery survive a crash of the host: deliveries leased but never removed are
 * delivered again after a restart, with the same event id.
 *
 * <p>Per destination, deliveries come out in the order they went in. Implementations must be
 * thread-safe; {@link #offer} is called on the engine's routing thread, never the host's, but must
 * still not block on the network: a slow offer stalls routing for every destination.
 */
public interface DeliveryQueue extends AutoCloseable {
  /**
   * Adds a delivery if there is room.
   *
   * @return false when the queue is full (the engine counts and reports the drop)
   */
  boolean offer(QueuedDelivery delivery);

  /**
   * Takes up to {@code max} of a destination's deliveries that are not leased already, oldest first,
   * and marks them leased. They stay in the queue until {@link #remove} or {@link #release}.
   */
  List<QueuedDelivery> lease(DestinationId destination, int max);

  /** Removes deliveries that are done (delivered, or given up on). */
  void remove(Collection<QueuedDelivery> deliveries);

  /** Returns leased deliveries to the queue so they can be leased again. */
  void release(Collection<QueuedDelivery> deliveries);

  /**
   * Returns every leased delivery to the queue. The engine calls it once when it starts, before any
   * {@link #lease}, so that deliveries leased by a previous run (which crashed or was stopped during a
   * delivery) are delivered again. The default does nothing, which suits queues whose leases do not
   * outlive the process.
   */
  default void releaseAllLeases() {}

  /** Removes every delivery of a destination (it was deleted); returns how many. */
  int removeAll(DestinationId destination);

  /** Deliveries waiting or leased for a destination. */
  int size(DestinationId destination);

  /** Deliveries waiting or leased in all. */
  int size();

  /** The destinations that have deliveries waiting or leased, so a restart can resume them. */
  Set<DestinationId> destinations();

  @Override
  default void close() {}
}
