package io.auditstream.core.queue;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.queue.DestinationDeliveries.Entry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Internal: what an {@link InMemoryDeliveryQueue} holds: each destination's {@link
 * DestinationDeliveries}, kept only while it holds something (dead letters included), how many
 * deliveries are undelivered in all, and the order in which they were offered.
 *
 * <p>Not thread-safe: the queue's lock guards it.
 */
final class QueueContents {
  private final Map<DestinationId, DestinationDeliveries> lanes = new HashMap<>();
  private int total;
  private long nextSequence;

  /** The destination's part; null when it holds nothing. */
  DestinationDeliveries get(DestinationId destination) {
    return lanes.get(destination);
  }

  /** Every destination's part. */
  Collection<DestinationDeliveries> all() {
    return lanes.values();
  }

  /** How many deliveries are undelivered, pending or leased, in all. */
  int total() {
    return total;
  }

  /** Adds {@code d} as pending, behind every delivery offered before it. */
  void add(QueuedDelivery d) {
    lanes.computeIfAbsent(d.destinationId(), id -> new DestinationDeliveries()).add(new Entry(nextSequence++, d));
    total++;
  }

  /**
   * Takes the undelivered delivery {@code eventId}, pending or leased, out of {@code lane}; false when
   * {@code lane} is null or holds none. The caller then {@link #dropIfEmpty drops} the part if need be.
   */
  boolean take(DestinationDeliveries lane, String eventId) {
    if (lane == null || lane.take(eventId) == null) {
      return false;
    }
    total--;
    return true;
  }

  /** Forgets the destination's part once it holds nothing. */
  void dropIfEmpty(DestinationId id, DestinationDeliveries lane) {
    if (lane.isEmpty()) {
      lanes.remove(id);
    }
  }

  /** Removes everything the destination holds, dead letters included; returns how many were undelivered. */
  int removeAll(DestinationId destination) {
    DestinationDeliveries lane = lanes.remove(destination);
    if (lane == null) {
      return 0;
    }
    int n = lane.byEventId.size();
    total -= n;
    return n;
  }

  /** Removes every undelivered delivery and returns them, each destination's oldest first; dead letters stay. */
  List<QueuedDelivery> removeUndelivered() {
    List<QueuedDelivery> out = new ArrayList<>(total);
    Iterator<Map.Entry<DestinationId, DestinationDeliveries>> it = lanes.entrySet().iterator();
    while (it.hasNext()) {
      DestinationDeliveries lane = it.next().getValue();
      lane.byEventId.values().stream().sorted((a, b) -> Long.compare(a.sequence, b.sequence))
          .forEach(e -> out.add(e.delivery));
      lane.byEventId.clear();
      lane.pending.clear();
      lane.bytes = 0;
      if (lane.dead.isEmpty()) {
        it.remove();
      }
    }
    total = 0;
    return out;
  }

  /** The destinations with undelivered deliveries, pending or leased. */
  Set<DestinationId> withUndelivered() {
    Set<DestinationId> out = new LinkedHashSet<>();
    lanes.forEach((id, lane) -> {
      if (!lane.byEventId.isEmpty()) {
        out.add(id);
      }
    });
    return Set.copyOf(out);
  }
}
