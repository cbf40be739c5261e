package io.auditstream.core.queue;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bounded {@link DeliveryQueue} in memory: fast, lost when the host stops.
 *
 * <p>Holds at most {@code capacity} deliveries across all destinations, leased ones included; {@link
 * #offer} refuses more and never blocks. Each destination has its own FIFO: {@link #lease} hands out
 * the oldest deliveries that are not leased, and {@link #release} puts leased deliveries back in
 * their original place, so a retried batch keeps its order ahead of newer deliveries.
 *
 * <p>Deliveries are recognised by identity: {@link #remove} and {@link #release} take the objects
 * that {@link #lease} returned (an equal copy is accepted too, when it is not ambiguous). Deliveries
 * that are no longer in the queue (for example after {@link #removeAll}) are ignored.
 *
 * <p>Thread-safe: every method holds one short lock and does no I/O.
 */
public final class InMemoryDeliveryQueue implements DeliveryQueue {
  private final int capacity;
  private final Object lock = new Object();
  // guarded by lock
  private final Map<DestinationId, Lane> lanes = new HashMap<>();
  private int total;
  private long nextSequence;

  /**
   * A queue of at most {@code capacity} deliveries.
   *
   * @throws IllegalArgumentException when {@code capacity} is less than 1
   */
  public InMemoryDeliveryQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1 (was " + capacity + ")");
    }
    this.capacity = capacity;
  }

  /** The most deliveries it holds. */
  public int capacity() {
    return capacity;
  }

  /** Adds a delivery at the end of its destination's FIFO; false when the queue is full. Never blocks. */
  @Override
  public boolean offer(QueuedDelivery delivery) {
    Objects.requireNonNull(delivery, "delivery");
    synchronized (lock) {
      if (total >= capacity) {
        return false;
      }
      lanes.computeIfAbsent(delivery.destinationId(), id -> new Lane()).waiting.put(nextSequence++, delivery);
      total++;
      return true;
    }
  }

  /** Leases up to {@code max} of the destination's oldest deliveries that are not leased yet. */
  @Override
  public List<QueuedDelivery> lease(DestinationId destination, int max) {
    synchronized (lock) {
      Lane lane = lanes.get(destination);
      List<QueuedDelivery> out = new ArrayList<>(Math.max(0, Math.min(max, 64)));
      while (lane != null && out.size() < max && !lane.waiting.isEmpty()) {
        Map.Entry<Long, QueuedDelivery> e = lane.waiting.pollFirstEntry();
        lane.leased.put(e.getValue(), e.getKey());
        out.add(e.getValue());
      }
      return out;
    }
  }

  @Override
  public void remove(Collection<QueuedDelivery> deliveries) {
    synchronized (lock) {
      for (QueuedDelivery d : deliveries) {
        Lane lane = lanes.get(d.destinationId());
        if (lane == null) {
          continue;
        }
        if (lane.takeLeased(d) != null || lane.takeWaiting(d)) {
          total--;
        }
        dropIfEmpty(d.destinationId(), lane);
      }
    }
  }

  @Override
  public void release(Collection<QueuedDelivery> deliveries) {
    synchronized (lock) {
      for (QueuedDelivery d : deliveries) {
        Lane lane = lanes.get(d.destinationId());
        Long sequence = lane == null ? null : lane.takeLeased(d);
        if (sequence != null) {
          // Back in its original place: the FIFO order survives a failed attempt.
          lane.waiting.put(sequence, d);
        }
      }
    }
  }

  @Override
  public void releaseAllLeases() {
    synchronized (lock) {
      for (Lane lane : lanes.values()) {
        lane.leased.forEach((d, sequence) -> lane.waiting.put(sequence, d));
        lane.leased.clear();
      }
    }
  }

  @Override
  public int removeAll(DestinationId destination) {
    synchronized (lock) {
      Lane lane = lanes.remove(destination);
      if (lane == null) {
        return 0;
      }
      int n = lane.size();
      total -= n;
      return n;
    }
  }

  @Override
  public int size(DestinationId destination) {
    synchronized (lock) {
      Lane lane = lanes.get(destination);
      return lane == null ? 0 : lane.size();
    }
  }

  @Override
  public int size() {
    synchronized (lock) {
      return total;
    }
  }

  @Override
  public Set<DestinationId> destinations() {
    synchronized (lock) {
      return Set.copyOf(lanes.keySet());
    }
  }

  private void dropIfEmpty(DestinationId id, Lane lane) {
    if (lane.size() == 0) {
      lanes.remove(id);
    }
  }

  /** One destination's deliveries: waiting ones by arrival sequence, leased ones with theirs. */
  private static final class Lane {
    final TreeMap<Long, QueuedDelivery> waiting = new TreeMap<>();
    final Map<QueuedDelivery, Long> leased = new IdentityHashMap<>();

    int size() {
      return waiting.size() + leased.size();
    }

    /** Removes a leased delivery (by identity, else by equality) and returns its sequence, or null. */
    Long takeLeased(QueuedDelivery d) {
      Long sequence = leased.remove(d);
      if (sequence != null) {
        return sequence;
      }
      Iterator<Map.Entry<QueuedDelivery, Long>> it = leased.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<QueuedDelivery, Long> e = it.next();
        if (e.getKey().equals(d)) {
          it.remove();
          return e.getValue();
        }
      }
      return null;
    }

    /** Removes a waiting delivery that was never leased; rare, so a scan is fine. */
    boolean takeWaiting(QueuedDelivery d) {
      Iterator<QueuedDelivery> it = waiting.values().iterator();
      while (it.hasNext()) {
        QueuedDelivery candidate = it.next();
        if (candidate == d || candidate.equals(d)) {
          it.remove();
          return true;
        }
      }
      return false;
    }
  }
}
