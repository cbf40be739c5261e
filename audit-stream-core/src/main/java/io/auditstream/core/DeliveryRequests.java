package io.auditstream.core;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.EntityType;
import io.auditstream.api.LogText;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.spi.DeadLetter;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: what {@link DestinationService} asks of the delivery side for an Owner of one
 * destination: a test event queued for it alone, its dead letters listed and delivered again. The
 * caller has found the destination and checked the actor already. Thread-safe.
 */
final class DeliveryRequests {
  // Logged as DestinationService: hosts set one logger for everything destination management does.
  private static final Logger log = LoggerFactory.getLogger(DestinationService.class);

  private final DeliveryControl delivery;
  private final Clock clock;

  DeliveryRequests(DeliveryControl delivery, Clock clock) {
    this.delivery = delivery;
    this.clock = clock;
  }

  /** As {@link DestinationService#sendTestEvent}: the queued event's id. */
  String sendTestEvent(Actor actor, Destination d) {
    AuditEvent event = AuditEvent.builder()
        .eventType(DestinationService.TEST_EVENT_TYPE)
        .entity(EntityType.GROUP, null, d.groupPath())
        .authorName(actor.id())
        .clock(clock)
        .customMessage("Test event from audit-stream for destination '" + d.name() + "'")
        .build();
    if (!delivery.enqueueDirect(d, event)) {
      throw new AuditStreamException("the delivery queue is full: the test event for destination " + d.id()
          + " was not queued; try again later");
    }
    log.info("Queued test event {} for destination {} of group {}", LogText.escape(event.id()), d.id(), d.groupPath());
    return event.id();
  }

  /** As {@link DestinationService#deadLetters}: at most {@code limit}, which must be in range. */
  List<DeadLetter> deadLetters(Destination d, int limit) {
    int max = DestinationService.MAX_DEAD_LETTER_LIMIT;
    if (limit < 1 || limit > max) {
      throw new ValidationException("limit", "limit must be 1 to " + max + " (was " + limit + ")");
    }
    return delivery.deadLetters(d.id(), limit);
  }

  /** As {@link DestinationService#redeliver}: how many were queued again. */
  int redeliver(Actor actor, Destination d, Collection<String> eventIds) {
    int n = eventIds.isEmpty() ? 0 : delivery.redeliver(d.id(), eventIds);
    log.info("Actor {} redelivered {} dead letters of destination {} ({} asked for)", actor, n, d.id(),
        eventIds.size());
    return n;
  }

  /** As {@link DestinationService#redeliverSince}: how many were queued again. */
  int redeliverSince(Actor actor, Destination d, Instant since) {
    int n = delivery.redeliverSince(d.id(), since);
    log.info("Actor {} redelivered {} dead letters of destination {} (given up on since {})", actor, n, d.id(),
        since);
    return n;
  }
}
