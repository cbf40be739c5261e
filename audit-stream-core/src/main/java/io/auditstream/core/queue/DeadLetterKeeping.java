package io.auditstream.core.queue;

import io.auditstream.api.LogText;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: the dead letters of an {@link InMemoryDeliveryQueue}: an undelivered delivery made one, the
 * newest {@code maxPerDestination} of each destination kept, listed oldest first, and put back as
 * pending when redelivered.
 *
 * <p>Not thread-safe: called under the queue's lock, except {@link #warnDiscarded}.
 */
final class DeadLetterKeeping {
  // Logged as the queue: hosts know the queue, not how it is built.
  private static final Logger log = LoggerFactory.getLogger(InMemoryDeliveryQueue.class);

  private final QueueContents contents;
  private final int maxPerDestination;

  DeadLetterKeeping(QueueContents contents, int maxPerDestination) {
    this.contents = contents;
    this.maxPerDestination = maxPerDestination;
  }

  /**
   * Makes dead letters of those of {@code deliveries} still undelivered. Returns the dead letters
   * discarded to keep within the bound, for {@link #warnDiscarded} once the lock is let go.
   */
  List<DeadLetter> deadLetter(Collection<QueuedDelivery> deliveries, Instant at, String reason) {
    List<DeadLetter> discarded = new ArrayList<>();
    for (QueuedDelivery d : deliveries) {
      DestinationDeliveries lane = contents.get(d.destinationId());
      if (!contents.take(lane, d.eventId())) {
        continue;
      }
      lane.dead.put(d.eventId(), new DeadLetter(d.destinationId(), d.event(), d.enqueuedAt(), d.attempts(), at, reason));
      while (lane.dead.size() > maxPerDestination) {
        Iterator<DeadLetter> oldest = lane.dead.values().iterator();
        discarded.add(oldest.next());
        oldest.remove();
      }
      contents.dropIfEmpty(d.destinationId(), lane);
    }
    return discarded;
  }

  /** Warns of each dead letter discarded, naming its event. */
  void warnDiscarded(List<DeadLetter> discarded) {
    for (DeadLetter dl : discarded) {
      log.warn("Discarded the oldest dead letter of destination {}, event {} ({}): this in-memory queue keeps at "
          + "most {} per destination", dl.destinationId(), LogText.escape(dl.eventId()), LogText.escape(dl.reason()),
          maxPerDestination);
    }
  }

  /** The destination's dead letters, oldest first, at most {@code limit}. */
  List<DeadLetter> oldest(DestinationId destination, int limit) {
    DestinationDeliveries lane = contents.get(destination);
    if (lane == null || limit <= 0) {
      return List.of();
    }
    return lane.dead.values().stream().limit(limit).toList();
  }

  /** How many dead letters the destination has. */
  int count(DestinationId destination) {
    DestinationDeliveries lane = contents.get(destination);
    return lane == null ? 0 : lane.dead.size();
  }

  /** The event ids of the destination's dead letters given up on at or after {@code since}, oldest first. */
  List<String> idsSince(DestinationId destination, Instant since) {
    DestinationDeliveries lane = contents.get(destination);
    if (lane == null) {
      return List.of();
    }
    return lane.dead.values().stream().filter(dl -> !dl.deadAt().isBefore(since)).map(DeadLetter::eventId).toList();
  }

  /**
   * Puts the destination's dead letters of {@code eventIds} back as pending, behind every other
   * delivery, with attempts reset and enqueued {@code now}; returns how many.
   */
  int redeliver(DestinationId destination, Collection<String> eventIds, Instant now) {
    DestinationDeliveries lane = contents.get(destination);
    if (lane == null) {
      return 0;
    }
    int n = 0;
    for (String id : new LinkedHashSet<>(eventIds)) {
      DeadLetter dl = lane.dead.remove(id);
      if (dl == null) {
        continue;
      }
      contents.add(new QueuedDelivery(destination, dl.event(), now));
      n++;
    }
    contents.dropIfEmpty(destination, lane);
    return n;
  }
}
