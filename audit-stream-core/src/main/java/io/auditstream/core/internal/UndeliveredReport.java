package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.internal.EventRouter.Ingress;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for what the engine leaves undelivered when it closes, once its threads stopped, so that no
 * accepted event is lost silently. Events accepted but never routed are dropped for every destination
 * that wants them, and their submitters' futures fail. With an {@link InMemoryDeliveryQueue}, whatever
 * it still holds is dropped too: each logged with its event id, counted on its destination and in the
 * stats, told to the listener, with reason {@code "closed"}. Any other queue is taken to be durable:
 * what it holds stays there, for the next start, and is logged as a count.
 *
 * <p>Runs once, on one thread.
 */
final class UndeliveredReport {
  private static final Logger log = LoggerFactory.getLogger(UndeliveredReport.class);

  private final DeliveryQueue queue;
  private final Function<DestinationId, DeliveryLane> lanes;
  private final Function<AuditEvent, List<Destination>> targets;

  /**
   * @param lanes the lane of a destination, or null
   * @param targets the destinations that want an event
   */
  UndeliveredReport(DeliveryQueue queue, Function<DestinationId, DeliveryLane> lanes,
      Function<AuditEvent, List<Destination>> targets) {
    this.queue = queue;
    this.lanes = lanes;
    this.targets = targets;
  }

  /**
   * Reports {@code unrouted}, the events the router gave back, and what an in-memory queue holds.
   *
   * @param flushed whether the flush before closing finished, for the log line when nothing was left
   */
  void run(List<Ingress> unrouted, boolean flushed) {
    Map<DestinationId, List<String>> lost = new LinkedHashMap<>();
    for (Ingress in : unrouted) {
      for (Destination d : targets.apply(in.event())) {
        lost.computeIfAbsent(d.id(), id -> new ArrayList<>()).add(in.event().id());
      }
      if (in.stored() != null) {
        in.stored().completeExceptionally(new AuditStreamException("audit streamer closed before event "
            + in.event().id() + " was stored"));
      }
    }
    int kept = 0;
    if (queue instanceof InMemoryDeliveryQueue memory) {
      for (QueuedDelivery d : memory.removeUndelivered()) {
        lost.computeIfAbsent(d.destinationId(), id -> new ArrayList<>()).add(d.eventId());
      }
    } else {
      try {
        kept = queue.size();
      } catch (RuntimeException e) {
        // A durable queue that cannot be read now (its database is away) still holds what it stored.
        log.warn("Audit streaming closed; the deliveries kept in the delivery queue could not be counted: {}",
            ErrorChain.classes(e));
      }
    }
    int dropped = 0;
    for (Map.Entry<DestinationId, List<String>> e : lost.entrySet()) {
      dropped += e.getValue().size();
      DeliveryLane lane = lanes.apply(e.getKey());
      if (lane != null) {
        lane.droppedAtClose(e.getValue());
      } else {
        log.warn("Audit streaming closed with {} events undelivered for deleted destination {}: {}",
            e.getValue().size(), e.getKey(), e.getValue());
      }
    }
    if (kept > 0) {
      log.warn("Audit streaming closed with {} deliveries kept in the delivery queue: they are delivered after a "
          + "restart", kept);
    }
    if (dropped == 0 && kept == 0) {
      log.debug("Audit streaming closed; everything was delivered (flushed: {})", flushed);
    }
  }
}
