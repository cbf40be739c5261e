package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.internal.DeliveryEngine;
import io.auditstream.core.internal.DeliverySettings;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: what an {@link AuditStreamer} is made of, wired from its builder's settings (the host's store
 * and queue, or in-memory ones; the sinks; the delivery engine; destination management; the health
 * overview), and the checks of those settings. Also appends events to the queue's inbox for {@link
 * AuditStreamer#streamInTransaction}, and closes them in order. The engine is created, not started.
 * Thread-safe once built.
 */
final class StreamerParts {
  private static final Logger log = LoggerFactory.getLogger(AuditStreamer.class);

  final DestinationStore store;
  final DeliveryQueue queue;
  final DeliveryEngine engine;
  final DestinationService destinations;
  final HealthOverview health;
  final Duration closeTimeout;
  private final int maxEventBytes;
  private final AtomicBoolean closed = new AtomicBoolean();

  StreamerParts(AuditStreamer.Builder b) {
    this.store = b.s.destinationStore != null ? b.s.destinationStore : new InMemoryDestinationStore();
    this.queue = b.s.deliveryQueue != null ? b.s.deliveryQueue : new InMemoryDeliveryQueue();
    ClassLoader loader = b.s.classLoader != null ? b.s.classLoader : AuditStreamer.class.getClassLoader();
    SinkProviders sinks = (b.s.sinkProviders != null ? SinkProviders.of(b.s.sinkProviders, loader)
        : SinkProviders.discover(loader)).withOverrides(b.s.extraSinkProviders);
    SinkContext sinkContext = b.s.sinkContext.build();
    StoredRuleWarnings warnings = new StoredRuleWarnings(sinks);
    DestinationStore resolving = new ResolvingDestinationStore(store, d -> warnings.check(sinks.resolve(d)));
    // Pauses are saved as an Owner's are; the engine only pauses once started, when the service exists.
    AtomicReference<DestinationService> pauser = new AtomicReference<>();
    DeliverySettings delivery = new DeliverySettings(b.s.maxInFlightPerDestination, b.s.deliveryThreads,
        sinkContext.connectTimeout().plus(sinkContext.requestTimeout()), b.s.maxEventBytes);
    this.engine = DeliveryEngine.create(resolving, d -> sinks.createSink(d, sinkContext), queue,
        b.s.retryPolicy, b.s.queueCapacity, b.s.clock, b.s.deliveryListener, b.s.deliveryObserver,
        b.s.autoPauseAfter, (id, reason) -> pauser.get().pauseAutomatically(id, reason), delivery);
    DeliveryControl control = new EngineDeliveryControl(engine);
    this.destinations = new DestinationService(resolving, b.s.accessPolicy, b.s.eventTypeCatalog, sinks, control,
        b.s.maxDestinationsPerKind, b.s.clock, sinkContext);
    pauser.set(destinations);
    this.health = new HealthOverview(resolving, control);
    this.closeTimeout = b.s.closeTimeout;
    this.maxEventBytes = b.s.maxEventBytes;
  }

  /** As {@link AuditStreamer#running()}. */
  boolean running() {
    return !closed.get() && engine.running();
  }

  /** @throws IllegalStateException when the streamer is closed */
  void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("audit streamer is closed");
    }
  }

  /** As {@link AuditStreamer#close()}: destination management, then the engine, the queue and the store. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      destinations.close();
      engine.close(closeTimeout);
      queue.close();
      store.close();
    }
  }

  /**
   * @throws ValidationException naming every setting that is missing or out of range
   */
  static void validate(AuditStreamer.Builder b) {
    ValidationException.Collector v = ValidationException.collector();
    v.check(b.s.accessPolicy != null, "accessPolicy", "accessPolicy is required: it says who owns which group");
    // The ingress keeps its events in an array whose size is a power of two: 2^30 at most.
    v.check(b.s.queueCapacity >= 1 && b.s.queueCapacity <= 1 << 30, "queueCapacity",
        "queueCapacity must be 1 to 1073741824 (was " + b.s.queueCapacity + ")");
    v.check(b.s.maxDestinationsPerKind >= 1 && b.s.maxDestinationsPerKind <= 1000, "maxDestinationsPerKind",
        "maxDestinationsPerKind must be 1 to 1000 (was " + b.s.maxDestinationsPerKind + ")");
    v.check(b.s.closeTimeout != null && !b.s.closeTimeout.isNegative(), "closeTimeout",
        "closeTimeout must be zero or positive");
    v.check(b.s.autoPauseAfter != null && !b.s.autoPauseAfter.isNegative(), "autoPauseAfter",
        "autoPauseAfter must be zero (off) or positive");
    v.check(b.s.maxInFlightPerDestination >= 1 && b.s.maxInFlightPerDestination <= DeliverySettings.MAX_IN_FLIGHT_LIMIT,
        "maxInFlightPerDestination", "maxInFlightPerDestination must be 1 to " + DeliverySettings.MAX_IN_FLIGHT_LIMIT
            + " (was " + b.s.maxInFlightPerDestination + ")");
    v.check(b.s.deliveryThreads >= 1 && b.s.deliveryThreads <= DeliverySettings.MAX_DELIVERY_THREADS,
        "deliveryThreads", "deliveryThreads must be 1 to " + DeliverySettings.MAX_DELIVERY_THREADS + " (was "
            + b.s.deliveryThreads + ")");
    v.check(b.s.maxEventBytes >= DeliverySettings.MIN_EVENT_BYTES && b.s.maxEventBytes <= DeliverySettings.MAX_EVENT_BYTES,
        "maxEventBytes", "maxEventBytes must be " + DeliverySettings.MIN_EVENT_BYTES + " to "
            + DeliverySettings.MAX_EVENT_BYTES + " (was " + b.s.maxEventBytes + ")");
    v.check(b.s.retryPolicy != null, "retryPolicy", "retryPolicy is required");
    v.check(b.s.deliveryListener != null, "deliveryListener", "deliveryListener must not be null");
    v.check(b.s.eventTypeCatalog != null, "eventTypeCatalog", "eventTypeCatalog is required");
    v.throwIfAny();
  }

  /**
   * As {@link AuditStreamer#streamInTransaction}, once the caller checked that the streamer is open: the
   * queue must have an inbox that the engine polls; the event is encoded as the router encodes streamed
   * events, and appended on {@code connection}. An event that belongs to no group goes to no destination,
   * as {@code stream} discards it, and is not appended. An event larger than {@code maxEventBytes} is
   * refused with an {@link io.auditstream.api.AuditStreamException}, and nothing is appended.
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
      // Unescaped: build() allows no control character in an event's id or type, and this runs per event.
      log.debug("Event {} ({}) belongs to no group: it goes to no destination", event.id(), event.eventType());
      return;
    }
    byte[] json = AuditEventJson.encode(event);
    if (json.length > maxEventBytes) {
      throw new io.auditstream.api.AuditStreamException("event " + event.id() + " was not added: its JSON payload"
          + " is larger than the streamer's limit of " + maxEventBytes + " bytes (maxEventBytes)");
    }
    queue.appendInTransaction(connection, new EncodedEvent(event, json));
  }
}
