package io.auditstream.core.queue;

import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.QueuedDelivery;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One destination's part of an {@link InMemoryDeliveryQueue}: its pending deliveries in the order they
 * were offered, every undelivered one (pending or leased) by event id with the bytes they hold, and its
 * dead letters, oldest first. Not thread-safe: the queue's lock guards it.
 */
final class DestinationDeliveries {
  /** A delivery and its place in its destination's order. */
  static final class Entry {
    final long sequence;
    QueuedDelivery delivery;
    boolean leased;

    Entry(long sequence, QueuedDelivery delivery) {
      this.sequence = sequence;
      this.delivery = delivery;
    }
  }

  final TreeMap<Long, Entry> pending = new TreeMap<>();
  final Map<String, Entry> byEventId = new HashMap<>();
  final LinkedHashMap<String, DeadLetter> dead = new LinkedHashMap<>();
  long bytes;

  /** Adds a delivery as pending, in its place. */
  void add(Entry e) {
    byEventId.put(e.delivery.eventId(), e);
    pending.put(e.sequence, e);
    bytes += e.delivery.event().json().length;
  }

  /** Puts a leased delivery back as pending, in its place. */
  void unlease(Entry e) {
    e.leased = false;
    pending.put(e.sequence, e);
  }

  /** Removes an undelivered delivery, pending or leased; null when there is none with that id. */
  Entry take(String eventId) {
    Entry e = byEventId.remove(eventId);
    if (e != null) {
      if (!e.leased) {
        pending.remove(e.sequence);
      }
      bytes -= e.delivery.event().json().length;
    }
    return e;
  }

  /** Whether it holds nothing at all, dead letters included. */
  boolean isEmpty() {
    return byEventId.isEmpty() && dead.isEmpty();
  }
}
