package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.LogText;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine does once the queue said what became of routed deliveries, wherever they were routed
 * from (streamed events, or events drained from the queue's inbox): an accepted delivery wakes its lane;
 * a refused one is dropped for its destination alone (counted, logged with its event id, reported to the
 * listener, see {@link DeliveryLane#dropped}). Internal; may change without notice.
 *
 * <p>Stateless; {@link #settle} may be called from any thread.
 */
final class OfferOutcomes {
  // Logged as the router: hosts set one logger for routing, whatever the events came from.
  private static final Logger log = LoggerFactory.getLogger(EventRouter.class);

  /** One routed delivery: its event, its destination, and the lane that was to deliver it when it was routed. */
  interface Target {
    AuditEvent event();

    Destination destination();

    DeliveryLane lane();
  }

  /** A {@link Target} as a value. */
  record Routed(AuditEvent event, Destination destination, DeliveryLane lane) implements Target {}

  private OfferOutcomes() {}

  /**
   * Settles {@code routed} with the queue's {@code outcomes}, one per delivery in the same order: drops
   * the refused ones, then wakes the lanes that got something. A lane that is no longer its destination's
   * ({@code lanes} gives another, or none: deleted while the deliveries were offered) is not woken, and
   * what was just stored for its destination is removed: the deletion emptied its queue before it landed.
   */
  static void settle(List<? extends Target> routed, List<Offer> outcomes, DeliveryQueue queue,
      Function<DestinationId, DeliveryLane> lanes) {
    Set<DeliveryLane> woken = new LinkedHashSet<>();
    DeliveryLane last = null;
    for (int i = 0; i < outcomes.size(); i++) {
      Target r = routed.get(i);
      Offer outcome = outcomes.get(i);
      if (outcome == Offer.ACCEPTED) {
        if (log.isDebugEnabled()) {
          log.debug("Event {} ({}) queued for destination {} ({})", LogText.escape(r.event().id()),
              LogText.escape(r.event().eventType()),
              r.destination().id(), LogText.escape(r.destination().name()));
        }
        if (r.lane() != last) {
          // Runs of one lane are the rule (one group streaming); the set sees each run once.
          last = r.lane();
          woken.add(last);
        }
      } else {
        r.lane().dropped(r.event().id(),
            outcome == Offer.DESTINATION_FULL ? "destination backlog full" : "delivery queue full");
      }
    }
    for (DeliveryLane lane : woken) {
      if (lanes.apply(lane.id()) != lane) {
        queue.removeAll(lane.id());
        continue;
      }
      lane.wake();
    }
  }
}
