package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's destinations as it delivers to them: one {@link DeliveryLane} per destination, and the
 * {@link RoutingTable} the router reads, both kept current as destinations are loaded, saved and
 * deleted. A lane exists before its destination is in the table, so the router never finds a
 * destination without a lane; a deleted destination leaves the table, then its lane retires and its
 * queue is emptied.
 *
 * <p>Thread-safe: every method may be called from any thread; lanes are created at most once per
 * destination.
 */
final class DeliveryLanes {
  // Logged as the dispatcher: hosts set one logger for what the engine does with their events.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final ConcurrentHashMap<DestinationId, DeliveryLane> lanes = new ConcurrentHashMap<>();
  private final RoutingTable table;
  private final DeliveryQueue queue;
  private final LaneContext context;

  DeliveryLanes(RoutingTable table, DeliveryQueue queue, LaneContext context) {
    this.table = table;
    this.queue = queue;
    this.context = context;
  }

  /** The lane of a destination, or null when it has none (never known, or deleted). */
  DeliveryLane get(DestinationId id) {
    return lanes.get(id);
  }

  /** Every lane now. */
  Collection<DeliveryLane> all() {
    return lanes.values();
  }

  /**
   * Takes in the destinations read at start, then resumes what the queue holds: leases of a previous
   * run are released, each destination with deliveries is woken, and the deliveries of destinations that
   * no longer exist are removed: those of a destination that was not read, when {@code gone} confirms it
   * does not exist (with a store that other processes share, it may have been created since it was read).
   */
  void load(List<Destination> destinations, Predicate<DestinationId> gone) {
    // Lanes before the table: the router skips destinations that have no lane.
    destinations.forEach(d -> lanes.computeIfAbsent(d.id(), id -> new DeliveryLane(d, context)));
    table.load(destinations);
    queue.releaseAllLeases();
    for (DestinationId id : queue.destinations()) {
      DeliveryLane lane = lanes.get(id);
      if (lane != null) {
        lane.wake();
      } else if (gone.test(id)) {
        int removed = queue.removeAll(id);
        log.warn("Removed {} queued deliveries of destination {}, which no longer exists", removed, id);
      } else {
        log.debug("Destination {} has queued deliveries and was created since the destinations were read", id);
      }
    }
  }

  /**
   * Brings the table and the lanes up to date with {@code stored}, every destination as the store holds
   * it now (changed through other processes that share it): those that are new or differ from what the
   * table holds are saved, those the table holds and the store does not are deleted, the others are left
   * alone. Destinations in {@code skip} are left as they are: a change made here since {@code stored} was
   * read told the engine of them already.
   *
   * @return how many destinations were saved and deleted
   */
  int refresh(List<Destination> stored, Set<DestinationId> skip) {
    Map<DestinationId, Destination> known = table.byId();
    Set<DestinationId> present = new HashSet<>();
    int changed = 0;
    for (Destination d : stored) {
      present.add(d.id());
      if (!skip.contains(d.id()) && !d.equals(known.get(d.id()))) {
        saved(d);
        changed++;
      }
    }
    for (Destination d : known.values()) {
      if (!present.contains(d.id()) && !skip.contains(d.id())) {
        deleted(d);
        changed++;
      }
    }
    return changed;
  }

  /** As {@link DeliveryEngine#destinationSaved}: a new destination gets a lane, a known one its new state. */
  void saved(Destination destination) {
    DeliveryLane created = new DeliveryLane(destination, context);
    DeliveryLane existing = lanes.putIfAbsent(destination.id(), created);
    table.put(destination);
    if (existing != null) {
      existing.update(destination);
    } else {
      created.wake();
    }
  }

  /** As {@link DeliveryEngine#destinationDeleted}: routed to no more, its lane retired, its queue emptied. */
  void deleted(Destination destination) {
    table.remove(destination.id());
    DeliveryLane lane = lanes.remove(destination.id());
    if (lane != null) {
      lane.retire();
    }
    int removed = queue.removeAll(destination.id());
    if (removed > 0) {
      log.info("Destination {} ({}) deleted with {} deliveries pending; they are dropped",
          destination.id(), destination.name(), removed);
    }
  }

  /** As {@link DeliveryEngine#enqueueDirect}, once the caller checked that the engine is open. */
  boolean enqueueDirect(Destination destination, AuditEvent event) {
    EncodedEvent encoded = new EncodedEvent(event, AuditEventJson.encode(event));
    DeliveryLane lane = lanes.computeIfAbsent(destination.id(), id -> new DeliveryLane(destination, context));
    List<Offer> outcome = queue.offer(List.of(new QueuedDelivery(destination.id(), encoded,
        context.clock().instant())));
    if (outcome.size() != 1 || outcome.get(0) != Offer.ACCEPTED) {
      return false;
    }
    lane.wake();
    return true;
  }

  /** {@code n} dead letters of the destination were made pending again: its lane is woken. */
  void redelivered(DestinationId id, int n) {
    if (n > 0) {
      log.info("Redelivering {} dead letters of destination {}", n, id);
      DeliveryLane lane = lanes.get(id);
      if (lane != null) {
        lane.wake();
      }
    }
  }

  /** The delivery health of a destination, from its lane, or from the queue alone when it has none. */
  DestinationStatus status(DestinationId id) {
    DeliveryLane lane = lanes.get(id);
    if (lane != null) {
      return lane.status();
    }
    DestinationStatus empty = DestinationStatus.empty(id);
    int pending = queue.size(id);
    int dead = queue.deadLetterCount(id);
    return pending == 0 && dead == 0 ? empty : new DestinationStatus(id, pending, 0, 0, 0, dead, 0,
        empty.lastSuccessAt(), empty.lastFailureAt(), empty.lastError());
  }

  /** Has every lane make dead letters of what aged out in its queue, whether it delivers or not. Never blocks. */
  void sweep() {
    lanes.values().forEach(DeliveryLane::sweep);
  }

  /**
   * Whether every destination that delivers (active and not paused) has an empty queue: what {@code
   * flush} waits for. The backlogs of inactive and paused destinations are not waited for.
   */
  boolean deliverableQueuesEmpty() {
    for (DeliveryLane lane : lanes.values()) {
      if (!lane.holdsBack() && queue.size(lane.id()) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Retires every lane: the engine is closing. */
  void retireAll() {
    lanes.values().forEach(DeliveryLane::retire);
  }

  /** Whether no lane has a task running or a window in flight. */
  boolean settled() {
    return lanes.values().stream().noneMatch(DeliveryLane::busy);
  }

  /**
   * Seals every lane, once the engine closed and before it accounts for what is left: windows still in
   * flight are abandoned. Returns how many lanes still have a task running.
   */
  int sealAll() {
    int running = 0;
    for (DeliveryLane lane : lanes.values()) {
      if (lane.seal()) {
        running++;
      }
    }
    return running;
  }

  /** Whether no lane has a task running (windows may still be in flight). */
  boolean noTaskRunning() {
    return lanes.values().stream().noneMatch(DeliveryLane::taskRunning);
  }
}
