package io.auditstream.core.internal;

import io.auditstream.api.LogText;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DeliveryQueue.InboxDelivery;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's look, every {@link DeliveryQueue#pollInterval()}, for work in a shared queue that it did
 * not put there itself. Internal; may change without notice.
 *
 * <p>First it routes the events that host transactions appended to the queue's inbox ({@link
 * DeliveryQueue#drainInbox}): each event gets the deliveries a streamed event would get (the same
 * routing table, filters and rules for inactive and paused destinations), and what the queue refused is
 * dropped as a refused delivery of a streamed event is ({@link OfferOutcomes}); while a batch comes back
 * full it drains again at once. Then it wakes the lane of every destination that has deliveries queued:
 * other processes offered them, or left them leased when they stopped. A lane that waits to retry its
 * destination keeps its schedule ({@link DeliveryLane#wake} does not cut a wait short).
 *
 * <p>A failure (the queue cannot be read) is logged by the classes of its errors and tried again at the
 * next poll; {@link #poll} never throws. Thread-safe; {@link #poll} runs on one thread at a time.
 */
final class SharedQueuePoll {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** The most inbox events routed in one {@link DeliveryQueue#drainInbox} call. */
  static final int INBOX_BATCH = EventRouter.MAX_BATCH;

  private final DeliveryQueue queue;
  private final EventRouter router;
  private final Function<DestinationId, DeliveryLane> lanes;
  private final Clock clock;
  private final BooleanSupplier closed;
  private final DropCounter failures = new DropCounter();

  /**
   * @param router whose routing table and filters decide where inbox events go
   * @param lanes the lane of a destination, or null when it has none
   * @param closed whether the engine is closing: draining stops
   */
  SharedQueuePoll(DeliveryQueue queue, EventRouter router, Function<DestinationId, DeliveryLane> lanes, Clock clock,
      BooleanSupplier closed) {
    this.queue = queue;
    this.router = router;
    this.lanes = lanes;
    this.clock = clock;
    this.closed = closed;
  }

  /** Drains the inbox, then wakes the lanes of destinations with queued deliveries. Never throws. */
  void poll() {
    try {
      while (!closed.getAsBoolean() && drainInboxOnce() >= INBOX_BATCH) {
        // A full batch: more may be waiting.
      }
    } catch (RuntimeException e) {
      failed("route the events appended to the queue's inbox", e);
    }
    if (closed.getAsBoolean()) {
      return;
    }
    try {
      for (DestinationId id : queue.destinations()) {
        DeliveryLane lane = lanes.apply(id);
        if (lane != null) {
          lane.wake();
        }
      }
    } catch (RuntimeException e) {
      failed("look for deliveries other processes queued", e);
    }
  }

  /** Routes one batch of inbox events; returns how many events the queue asked deliveries for. */
  int drainInboxOnce() {
    Map<QueuedDelivery.Key, OfferOutcomes.Routed> routed = new HashMap<>();
    int[] events = {0};
    List<InboxDelivery> outcomes = queue.drainInbox(INBOX_BATCH, encoded -> {
      events[0]++;
      return route(encoded, routed);
    });
    if (outcomes == null || outcomes.isEmpty()) {
      return events[0];
    }
    List<OfferOutcomes.Routed> settled = new ArrayList<>(outcomes.size());
    List<Offer> offers = new ArrayList<>(outcomes.size());
    for (InboxDelivery outcome : outcomes) {
      OfferOutcomes.Routed r = routed.get(outcome.delivery().key());
      if (r == null) {
        log.warn("The queue's inbox reported delivery of event {} to destination {}, which was not routed here",
            LogText.escape(outcome.delivery().eventId()), outcome.delivery().destinationId());
        continue;
      }
      settled.add(r);
      offers.add(outcome.outcome());
    }
    OfferOutcomes.settle(settled, offers, queue, lanes);
    return events[0];
  }

  /** The deliveries a streamed event would get, each noted in {@code routed} with its lane. */
  private List<QueuedDelivery> route(EncodedEvent encoded, Map<QueuedDelivery.Key, OfferOutcomes.Routed> routed) {
    List<QueuedDelivery> deliveries = new ArrayList<>();
    for (Destination d : router.targetsOf(encoded.event())) {
      DeliveryLane lane = lanes.apply(d.id());
      if (lane != null) {
        QueuedDelivery delivery = new QueuedDelivery(d.id(), encoded, clock.instant());
        deliveries.add(delivery);
        routed.put(delivery.key(), new OfferOutcomes.Routed(encoded.event(), d, lane));
      }
    }
    if (deliveries.isEmpty()) {
      log.debug("Event {} ({}) from the queue's inbox goes to no destination", LogText.escape(encoded.event().id()),
          LogText.escape(encoded.event().eventType()));
    }
    return deliveries;
  }

  private void failed(String what, RuntimeException e) {
    if (failures.drop()) {
      log.warn("Could not {}; trying again at the next poll ({} failures so far): {}", what, failures.count(),
          ErrorChain.classes(e));
    }
  }
}
