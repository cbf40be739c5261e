package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.Namespace;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.internal.EventRouter.Admission;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of the engine: {@link DeliveryEngine#stream} and {@link DeliveryEngine#submit}, on the
 * host's thread. A lock-free look-up in the {@link RoutingTable} (an event of a group without active
 * destinations is accepted and discarded), then one non-blocking offer to the {@link EventRouter}'s
 * bounded ingress. A refusal is counted, logged at WARN (the first, then at most once per {@link
 * DropCounter#WARN_INTERVAL}) and told to a submitter through its future; never silent.
 *
 * <p>An event whose JSON payload is larger than the engine's limit is refused first, whole, and counted
 * ({@link EngineCounters#refusedTooLarge()}) and logged as the other refusals. The check is one
 * comparison of the limit with {@link AuditEvent#encodedSizeBound()}, which the event's builder found;
 * only an event whose bound lies above the limit is encoded, on the host's thread, to know its exact size.
 *
 * <p>{@link #stream} allocates nothing and reads no clock: the namespace's top-level group is a field
 * of the event's namespace, the time of acceptance is found by the router when it drains the event
 * ({@link AcceptanceStamps}), the event itself is what is queued, and an accepted event is counted by the
 * ingress' own index ({@link EventRouter#accepted}), not by a counter of its own.
 *
 * <p>Submitters' futures complete on {@code callbacks}, never on the routing thread, so that their
 * dependent stages cannot stall routing.
 *
 * <p>Thread-safe: every method may be called from any thread, and none blocks.
 */
final class EventAdmission {
  // Logged as the dispatcher: hosts set one logger for what the engine does with their events.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final EventRouter router;
  private final RoutingTable table;
  private final EngineCounters counters;
  private final int ingressCapacity;
  private final Executor callbacks;
  private final BooleanSupplier closed;
  private final int maxEventBytes;
  private final DropCounter ingressDrops = new DropCounter();
  private final DropCounter sizeDrops = new DropCounter();

  /**
   * @param ingressCapacity the router's ingress bound, for messages
   * @param maxEventBytes the largest event accepted, in bytes of its JSON payload
   * @param callbacks where submitters' futures are completed
   * @param closed whether the engine is closed: every event is refused then
   */
  EventAdmission(EventRouter router, RoutingTable table, EngineCounters counters, int ingressCapacity,
      int maxEventBytes, Executor callbacks, BooleanSupplier closed) {
    this.router = router;
    this.table = table;
    this.counters = counters;
    this.ingressCapacity = ingressCapacity;
    this.maxEventBytes = maxEventBytes;
    this.callbacks = callbacks;
    this.closed = closed;
  }

  /** As {@link DeliveryEngine#stream}. */
  boolean stream(AuditEvent event) {
    return admit(event, null);
  }

  /** As {@link DeliveryEngine#submit}. */
  CompletableFuture<Void> submit(AuditEvent event) {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    CompletableFuture<Void> result = new CompletableFuture<>();
    stored.whenCompleteAsync((v, e) -> {
      if (e != null) {
        result.completeExceptionally(e);
      } else {
        result.complete(null);
      }
    }, callbacks);
    admit(event, stored);
    return result;
  }

  /** Admits an event; completes or fails {@code stored} (when given) unless the router will. */
  private boolean admit(AuditEvent event, CompletableFuture<Void> stored) {
    if (closed.getAsBoolean()) {
      return refusedClosed(event, stored);
    }
    // One comparison with the bound the event's builder found; only an event that may be too large is
    // encoded here to find its exact size. Checked before routing, so that even an event of a group
    // without destinations is refused as it would be once the group has one.
    if (event.encodedSizeBound() > maxEventBytes && tooLarge(event)) {
      return refusedTooLarge(event, stored);
    }
    Namespace ns = event.namespace().orElse(null);
    if (ns == null || !table.mayHaveActiveDestination(ns.topLevelGroup().hashCode())) {
      // The id and type need no escaping: build() allows no control character in them, and this path is hot.
      log.debug("Event {} ({}) belongs to no group with an active destination", event.id(), event.eventType());
      counters.acceptedWithoutDestination();
      if (stored != null) {
        stored.complete(null);
      }
      return true;
    }
    Admission admission = router.offer(event, stored);
    if (admission == Admission.ACCEPTED) {
      return true;
    }
    if (admission == Admission.CLOSED) {
      return refusedClosed(event, stored);
    }
    counters.refusedFull();
    if (ingressDrops.drop()) {
      log.warn("Audit event queue full ({} events): refusing events, such as {}; {} refused since start",
          ingressCapacity, event.id(), ingressDrops.count());
    }
    if (stored != null) {
      stored.completeExceptionally(new AuditStreamException("the audit event queue is full (" + ingressCapacity
          + " events): event " + event.id() + " was not accepted"));
    }
    return false;
  }

  private boolean tooLarge(AuditEvent event) {
    return AuditEventJson.encode(event).length > maxEventBytes;
  }

  private boolean refusedTooLarge(AuditEvent event, CompletableFuture<Void> stored) {
    counters.refusedTooLarge();
    if (sizeDrops.drop()) {
      log.warn("Audit event larger than {} bytes of JSON: refusing events, such as {}; {} refused since start",
          maxEventBytes, event.id(), sizeDrops.count());
    }
    if (stored != null) {
      stored.completeExceptionally(new AuditStreamException("event " + event.id() + " was not accepted: its JSON"
          + " payload is larger than the streamer's limit of " + maxEventBytes + " bytes (maxEventBytes)"));
    }
    return false;
  }

  private boolean refusedClosed(AuditEvent event, CompletableFuture<Void> stored) {
    counters.refusedClosed();
    if (stored != null) {
      stored.completeExceptionally(new AuditStreamException("audit streamer is closed: event " + event.id()
          + " was not accepted"));
    }
    return false;
  }
}
