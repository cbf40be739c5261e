package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.internal.DeliveryEngine;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: what an {@link AuditStreamer} is made of, wired from its builder's settings (the host's store
 * and queue, or in-memory ones; the sinks; the delivery engine; destination management; the health
 * overview), and the checks of those settings. Also appends events to the queue's inbox for {@link
 * AuditStreamer#streamInTransaction}. The engine is created, not started. Thread-safe once built.
 */
final class StreamerParts {
  private static final Logger log = LoggerFactory.getLogger(AuditStreamer.class);

  final DestinationStore store;
  final DeliveryQueue queue;
  final DeliveryEngine engine;
  final DestinationService destinations;
  final HealthOverview health;
  final Duration closeTimeout;

  StreamerParts(AuditStreamer.Builder b) {
    this.store = b.destinationStore != null ? b.destinationStore : new InMemoryDestinationStore();
    this.queue = b.deliveryQueue != null ? b.deliveryQueue : new InMemoryDeliveryQueue();
    ClassLoader loader = b.classLoader != null ? b.classLoader : AuditStreamer.class.getClassLoader();
    SinkProviders sinks = (b.sinkProviders != null ? SinkProviders.of(b.sinkProviders, loader)
        : SinkProviders.discover(loader)).withOverrides(b.extraSinkProviders);
    SinkContext sinkContext = b.sinkContext.build();
    DestinationStore resolving = new ResolvingDestinationStore(store, sinks::resolve);
    // Pauses are saved as an Owner's are; the engine only pauses once started, when the service exists.
    AtomicReference<DestinationService> pauser = new AtomicReference<>();
    this.engine = DeliveryEngine.create(resolving, d -> sinks.createSink(d, sinkContext), queue,
        b.retryPolicy, b.queueCapacity, b.clock, b.deliveryListener, b.autoPauseAfter,
        (id, reason) -> pauser.get().pauseAutomatically(id, reason));
    DeliveryControl delivery = new EngineDeliveryControl(engine);
    this.destinations = new DestinationService(resolving, b.accessPolicy, b.eventTypeCatalog, sinks, delivery,
        b.maxDestinationsPerKind, b.clock, sinkContext);
    pauser.set(destinations);
    this.health = new HealthOverview(resolving, delivery);
    this.closeTimeout = b.closeTimeout;
  }

  /**
   * @throws ValidationException naming every setting that is missing or out of range
   */
  static void validate(AuditStreamer.Builder b) {
    ValidationException.Collector v = ValidationException.collector();
    v.check(b.accessPolicy != null, "accessPolicy", "accessPolicy is required: it says who owns which group");
    v.check(b.queueCapacity >= 1, "queueCapacity", "queueCapacity must be at least 1 (was " + b.queueCapacity + ")");
    v.check(b.maxDestinationsPerKind >= 1 && b.maxDestinationsPerKind <= 1000, "maxDestinationsPerKind",
        "maxDestinationsPerKind must be 1 to 1000 (was " + b.maxDestinationsPerKind + ")");
    v.check(b.closeTimeout != null && !b.closeTimeout.isNegative(), "closeTimeout",
        "closeTimeout must be zero or positive");
    v.check(b.autoPauseAfter != null && !b.autoPauseAfter.isNegative(), "autoPauseAfter",
        "autoPauseAfter must be zero (off) or positive");
    v.check(b.retryPolicy != null, "retryPolicy", "retryPolicy is required");
    v.check(b.deliveryListener != null, "deliveryListener", "deliveryListener must not be null");
    v.check(b.eventTypeCatalog != null, "eventTypeCatalog", "eventTypeCatalog is required");
    v.throwIfAny();
  }

  /**
   * As {@link AuditStreamer#streamInTransaction}, once the caller checked that the streamer is open: the
   * queue must have an inbox that the engine polls; the event is encoded as the router encodes streamed
   * events, and appended on {@code connection}. An event that belongs to no group goes to no destination,
   * as {@code stream} discards it, and is not appended.
   */
  void appendInTransaction(Connection connection, AuditEvent event) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(event, "event");
    Duration interval = queue.pollInterval();
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw new UnsupportedOperationException("streamInTransaction needs a delivery queue with an inbox that the "
          + "streamer polls (a durable outbox on a database the host's transactions use, whose pollInterval() is "
          + "positive); " + queue.getClass().getName() + " has none");
    }
    if (event.namespace().isEmpty()) {
      log.debug("Event {} ({}) belongs to no group: it goes to no destination", event.id(), event.eventType());
      return;
    }
    queue.appendInTransaction(connection, new EncodedEvent(event, AuditEventJson.encode(event)));
  }
}
