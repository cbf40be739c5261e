package io.auditstream.core.queue;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.queue.DestinationDeliveries.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A bounded {@link DeliveryQueue} in memory: fast, and lost when the host stops (the streamer reports
 * what it still holds when it closes, event by event).
 *
 * <p>Bounds, each checked by {@link #offer}, which never blocks: per destination, at most {@link
 * #maxEventsPerDestination()} deliveries (default {@value #DEFAULT_MAX_EVENTS_PER_DESTINATION}) and
 * {@link #maxBytesPerDestination()} bytes of payload (default 256 MiB), pending and leased together,
 * so that a destination that is down fills only its own room ({@link Offer#DESTINATION_FULL}); and at
 * most {@link #capacity()} deliveries in all (default {@value #DEFAULT_MAX_DELIVERIES}, {@link
 * Offer#QUEUE_FULL}). Dead letters do not count against these: each destination keeps its newest
 * {@link #maxDeadLettersPerDestination()} (default {@value #DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION}),
 * and the oldest beyond that is discarded with a WARN naming its event id. Redelivered dead letters
 * go back to pending without a bound check: they held their room already.
 *
 * <p>Each destination keeps its deliveries in the order they were offered: {@link #lease} hands out
 * the oldest pending ones, stopping at the first that is not due yet, and {@link #release} and {@link
 * #reschedule} put a leased delivery back in its place, so a retried delivery stays ahead of newer ones
 * and holds them back until it is due.
 *
 * <p>Thread-safe: every method holds one short lock and does no I/O.
 */
public final class InMemoryDeliveryQueue implements DeliveryQueue {
  /** Default bound of one destination's deliveries, pending and leased. */
  public static final int DEFAULT_MAX_EVENTS_PER_DESTINATION = 100_000;
  /** Default bound of one destination's payload bytes, pending and leased: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES_PER_DESTINATION = 256L * 1024 * 1024;
  /** Default bound of all destinations' deliveries, pending and leased. */
  public static final int DEFAULT_MAX_DELIVERIES = 1_000_000;
  /** Default number of dead letters kept per destination. */
  public static final int DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION = 10_000;

  private final QueueBounds bounds;
  private final Object lock = new Object();
  // guarded by lock, as is everything deadLetters does with it
  private final QueueContents contents = new QueueContents();
  private final DeadLetterKeeping deadLetters;

  /**
   * A queue of at most {@code capacity} deliveries in all, with the default bounds per destination.
   *
   * @throws IllegalArgumentException when {@code capacity} is less than 1
   */
  public InMemoryDeliveryQueue(int capacity) {
    this(QueueBounds.withCapacity(capacity));
  }

  private InMemoryDeliveryQueue(QueueBounds bounds) {
    this.bounds = bounds;
    this.deadLetters = new DeadLetterKeeping(contents, bounds.maxDeadLettersPerDestination());
  }

  /** A queue with every bound at its default. */
  public InMemoryDeliveryQueue() {
    this(QueueBounds.DEFAULTS);
  }

  /** A new builder holding the default bounds. */
  public static Builder builder() {
    return new Builder();
  }

  /** The most deliveries it holds in all, pending and leased. */
  public int capacity() {
    return bounds.maxDeliveries();
  }

  /** The most deliveries it holds for one destination, pending and leased. */
  public int maxEventsPerDestination() {
    return bounds.maxEventsPerDestination();
  }

  /** The most payload bytes it holds for one destination, pending and leased. */
  public long maxBytesPerDestination() {
    return bounds.maxBytesPerDestination();
  }

  /** The most dead letters it keeps for one destination; older ones are discarded. */
  public int maxDeadLettersPerDestination() {
    return bounds.maxDeadLettersPerDestination();
  }

  /** Adds each delivery at the end of its destination's order where the bounds allow. Never blocks. */
  @Override
  public List<Offer> offer(List<QueuedDelivery> deliveries) {
    List<Offer> out = new ArrayList<>(deliveries.size());
    synchronized (lock) {
      for (QueuedDelivery d : deliveries) {
        out.add(offerOne(Objects.requireNonNull(d, "delivery")));
      }
    }
    return out;
  }

  private Offer offerOne(QueuedDelivery d) {
    DestinationDeliveries lane = contents.get(d.destinationId());
    if (lane != null && (lane.byEventId.containsKey(d.eventId()) || lane.dead.containsKey(d.eventId()))) {
      return Offer.ACCEPTED;
    }
    int count = lane == null ? 0 : lane.byEventId.size();
    long bytes = lane == null ? 0 : lane.bytes;
    Offer room = bounds.room(count, bytes, d, contents.total());
    if (room == Offer.ACCEPTED) {
      contents.add(d);
    }
    return room;
  }

  @Override
  public List<QueuedDelivery> lease(DestinationId destination, int max, Instant now) {
    synchronized (lock) {
      DestinationDeliveries lane = contents.get(destination);
      List<QueuedDelivery> out = new ArrayList<>(Math.max(0, Math.min(max, 64)));
      if (lane == null) {
        return out;
      }
      Iterator<Entry> it = lane.pending.values().iterator();
      while (out.size() < max && it.hasNext()) {
        Entry e = it.next();
        if (e.delivery.nextAttemptAt().isAfter(now)) {
          // Head of line: nothing newer goes before a delivery that waits for its next attempt.
          break;
        }
        it.remove();
        e.leased = true;
        out.add(e.delivery);
      }
      return out;
    }
  }

  @Override
  public void remove(Collection<QueuedDelivery> delivered) {
    synchronized (lock) {
      for (QueuedDelivery d : delivered) {
        DestinationDeliveries lane = contents.get(d.destinationId());
        if (contents.take(lane, d.eventId())) {
          contents.dropIfEmpty(d.destinationId(), lane);
        }
      }
    }
  }

  @Override
  public void reschedule(Collection<QueuedDelivery> failed) {
    synchronized (lock) {
      for (QueuedDelivery d : failed) {
        DestinationDeliveries lane = contents.get(d.destinationId());
        Entry e = lane == null ? null : lane.byEventId.get(d.eventId());
        if (e != null) {
          // Back in its original place, with its new schedule: the order survives a failed attempt.
          e.delivery = d;
          lane.unlease(e);
        }
      }
    }
  }

  @Override
  public void deadLetter(Collection<QueuedDelivery> deliveries, Instant at, String reason) {
    List<DeadLetter> discarded;
    synchronized (lock) {
      discarded = deadLetters.deadLetter(deliveries, at, reason);
    }
    deadLetters.warnDiscarded(discarded);
  }

  @Override
  public void release(Collection<QueuedDelivery> deliveries) {
    synchronized (lock) {
      for (QueuedDelivery d : deliveries) {
        DestinationDeliveries lane = contents.get(d.destinationId());
        Entry e = lane == null ? null : lane.byEventId.get(d.eventId());
        if (e != null && e.leased) {
          lane.unlease(e);
        }
      }
    }
  }

  @Override
  public void releaseAllLeases() {
    synchronized (lock) {
      for (DestinationDeliveries lane : contents.all()) {
        for (Entry e : lane.byEventId.values()) {
          if (e.leased) {
            lane.unlease(e);
          }
        }
      }
    }
  }

  @Override
  public int removeAll(DestinationId destination) {
    synchronized (lock) {
      return contents.removeAll(destination);
    }
  }

  /**
   * Removes every pending and leased delivery, of every destination, and returns them, each
   * destination's oldest first; dead letters stay. The streamer calls it when it closes, to report
   * what this queue would otherwise lose silently.
   */
  public List<QueuedDelivery> removeUndelivered() {
    synchronized (lock) {
      return contents.removeUndelivered();
    }
  }

  @Override
  public int size(DestinationId destination) {
    synchronized (lock) {
      DestinationDeliveries lane = contents.get(destination);
      return lane == null ? 0 : lane.byEventId.size();
    }
  }

  @Override
  public int size() {
    synchronized (lock) {
      return contents.total();
    }
  }

  @Override
  public Set<DestinationId> destinations() {
    synchronized (lock) {
      return contents.withUndelivered();
    }
  }

  @Override
  public Optional<Instant> nextDue(DestinationId destination) {
    synchronized (lock) {
      DestinationDeliveries lane = contents.get(destination);
      if (lane == null) {
        return Optional.empty();
      }
      Map.Entry<Long, Entry> head = lane.pending.firstEntry();
      return head == null ? Optional.empty() : Optional.of(head.getValue().delivery.nextAttemptAt());
    }
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationId destination, int limit) {
    synchronized (lock) {
      return deadLetters.oldest(destination, limit);
    }
  }

  @Override
  public int deadLetterCount(DestinationId destination) {
    synchronized (lock) {
      return deadLetters.count(destination);
    }
  }

  @Override
  public int redeliver(DestinationId destination, Collection<String> eventIds, Instant now) {
    synchronized (lock) {
      return deadLetters.redeliver(destination, eventIds, now);
    }
  }

  @Override
  public int redeliverSince(DestinationId destination, Instant since, Instant now) {
    List<String> ids;
    synchronized (lock) {
      ids = deadLetters.idsSince(destination, since);
    }
    return redeliver(destination, ids, now);
  }

  /** Builds an {@link InMemoryDeliveryQueue}; every bound has a default. */
  public static final class Builder {
    private int maxEventsPerDestination = DEFAULT_MAX_EVENTS_PER_DESTINATION;
    private long maxBytesPerDestination = DEFAULT_MAX_BYTES_PER_DESTINATION;
    private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
    private int maxDeadLettersPerDestination = DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION;

    private Builder() {}

    /** Deliveries one destination may have pending or leased; at least 1, default {@value InMemoryDeliveryQueue#DEFAULT_MAX_EVENTS_PER_DESTINATION}. */
    public Builder maxEventsPerDestination(int max) {
      this.maxEventsPerDestination = max;
      return this;
    }

    /** Payload bytes one destination may have pending or leased; at least 1, default 256 MiB. */
    public Builder maxBytesPerDestination(long max) {
      this.maxBytesPerDestination = max;
      return this;
    }

    /** Deliveries all destinations may have pending or leased; at least 1, default {@value InMemoryDeliveryQueue#DEFAULT_MAX_DELIVERIES}. */
    public Builder maxDeliveries(int max) {
      this.maxDeliveries = max;
      return this;
    }

    /** Dead letters kept per destination; zero or more, default {@value InMemoryDeliveryQueue#DEFAULT_MAX_DEAD_LETTERS_PER_DESTINATION}. */
    public Builder maxDeadLettersPerDestination(int max) {
      this.maxDeadLettersPerDestination = max;
      return this;
    }

    /**
     * @throws ValidationException naming each bound out of range
     */
    public InMemoryDeliveryQueue build() {
      return new InMemoryDeliveryQueue(QueueBounds.validated(maxEventsPerDestination, maxBytesPerDestination,
          maxDeliveries, maxDeadLettersPerDestination));
    }
  }
}
