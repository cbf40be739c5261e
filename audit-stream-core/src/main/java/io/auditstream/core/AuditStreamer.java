package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.internal.DeliveryEngine;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point of audit-stream: a host builds one at start-up, hands it every audit event with
 * {@link #stream(AuditEvent)}, lets group Owners manage destinations through {@link
 * #destinations()}, and closes it at shutdown.
 *
 * <pre>{@code
 * AuditStreamer streamer = AuditStreamer.builder()
 *     .accessPolicy((actor, group) -> memberships.isOwner(actor.id(), group))
 *     .build();
 * streamer.destinations().create(Actor.of("alice"), "acme",
 *     DestinationDraft.http("https://siem.example.com/audit").build());
 * streamer.stream(AuditEvent.builder().eventType("user_created")
 *     .entity(EntityType.GROUP, 42L, "acme").build());
 * streamer.close();
 * }</pre>
 *
 * <p>Thread-safe. {@link #stream} never blocks and never touches the network: events go to a bounded
 * queue and are delivered by the streamer's own threads. When the queue is full the event is
 * dropped, counted ({@link #droppedCount()}) and logged, and {@code stream} returns false.
 */
public final class AuditStreamer implements AutoCloseable {
  /** Default bound of events accepted but not yet routed. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** Default bound of deliveries waiting across all destinations (in-memory queue). */
  public static final int DEFAULT_DELIVERY_QUEUE_CAPACITY = 100_000;
  /** How many destinations of one kind a group may have, by default (as GitLab). */
  public static final int DEFAULT_MAX_DESTINATIONS_PER_KIND = 5;
  /** How long {@link #close()} waits for queued events to be delivered. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final DestinationService destinations;
  private final DeliveryEngine engine;
  private final DestinationStore store;
  private final DeliveryQueue deliveryQueue;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AuditStreamer(Builder b) {
    this.store = b.destinationStore != null ? b.destinationStore : new InMemoryDestinationStore();
    this.deliveryQueue =
        b.deliveryQueue != null ? b.deliveryQueue : new InMemoryDeliveryQueue(DEFAULT_DELIVERY_QUEUE_CAPACITY);
    ClassLoader loader = b.classLoader != null ? b.classLoader : AuditStreamer.class.getClassLoader();
    SinkProviders sinks = (b.sinkProviders != null ? SinkProviders.of(b.sinkProviders, loader)
        : SinkProviders.discover(loader)).withOverrides(b.extraSinkProviders);
    SinkContext sinkContext = b.sinkContext.build();
    DestinationStore resolving = new ResolvingDestinationStore(store, sinks::resolve);
    this.engine = DeliveryEngine.create(resolving, d -> sinks.createSink(d, sinkContext), deliveryQueue,
        b.retryPolicy, b.queueCapacity, b.clock);
    this.destinations = new DestinationService(resolving, b.accessPolicy, b.eventTypeCatalog, sinks,
        new EngineDeliveryControl(engine), b.maxDestinationsPerKind, b.clock, sinkContext);
    this.closeTimeout = b.closeTimeout;
    engine.start();
  }

  /** A new builder holding the defaults; only {@link Builder#accessPolicy} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Hands an event to the streamer. Returns at once: routing, encoding and delivery happen on the
   * streamer's threads.
   *
   * @return true if the event was accepted (an event of a group without active destinations is
   *     accepted and discarded: there is nothing to deliver); false if it was dropped because the
   *     queue was full (counted in {@link #droppedCount()} and logged) or the streamer is closed
   */
  public boolean stream(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return engine.stream(event);
  }

  /** Destination management, on behalf of group Owners. */
  public DestinationService destinations() {
    return destinations;
  }

  /**
   * Waits until every event streamed so far has been delivered or given up on, or {@code timeout}
   * passed. Blocks the caller; never call it on a request thread.
   *
   * @return true if nothing is left pending
   */
  public boolean flush(Duration timeout) {
    return engine.flush(timeout);
  }

  /** Events dropped because a queue was full, since start. */
  public long droppedCount() {
    return engine.droppedCount();
  }

  /**
   * Stops accepting events, waits up to the close timeout for queued deliveries, then releases
   * threads, sinks and stores. What is still queued then is logged (and kept, with a durable queue).
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      engine.close(closeTimeout);
      deliveryQueue.close();
      store.close();
    }
  }

  /** Builds an {@link AuditStreamer}. Only {@link #accessPolicy} is required. */
  public static final class Builder {
    private AccessPolicy accessPolicy;
    private DestinationStore destinationStore;
    private DeliveryQueue deliveryQueue;
    private EventTypeCatalog eventTypeCatalog = EventTypeCatalog.anyType();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private final SinkContext.Builder sinkContext = SinkContext.builder();
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxDestinationsPerKind = DEFAULT_MAX_DESTINATIONS_PER_KIND;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private List<SinkProvider> sinkProviders;
    private final List<SinkProvider> extraSinkProviders = new ArrayList<>();
    private ClassLoader classLoader;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Who is Owner of which top-level group. Required. */
    public Builder accessPolicy(AccessPolicy accessPolicy) {
      this.accessPolicy = accessPolicy;
      return this;
    }

    /** Where destinations are kept; default in memory ({@link InMemoryDestinationStore}). */
    public Builder destinationStore(DestinationStore store) {
      this.destinationStore = store;
      return this;
    }

    /** Where deliveries wait; default {@link InMemoryDeliveryQueue} of {@value #DEFAULT_DELIVERY_QUEUE_CAPACITY}. */
    public Builder deliveryQueue(DeliveryQueue queue) {
      this.deliveryQueue = queue;
      return this;
    }

    /** The host's event types; event-type filters naming others are refused. Default: any type. */
    public Builder eventTypeCatalog(EventTypeCatalog catalog) {
      this.eventTypeCatalog = catalog;
      return this;
    }

    /**
     * How transient delivery failures are retried; default {@link RetryPolicy#defaults()}. Must not be null.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /**
     * Lets destinations be on loopback, private, link-local or metadata addresses. Off by default,
     * which protects the host's network from destinations that point into it (SSRF).
     */
    public Builder allowLocalNetwork(boolean allow) {
      sinkContext.allowLocalNetwork(allow);
      return this;
    }

    /** Connect timeout of sinks that connect; default {@link SinkContext#DEFAULT_CONNECT_TIMEOUT}. */
    public Builder connectTimeout(Duration timeout) {
      sinkContext.connectTimeout(timeout);
      return this;
    }

    /** Bound on one delivery request; default {@link SinkContext#DEFAULT_REQUEST_TIMEOUT}. */
    public Builder requestTimeout(Duration timeout) {
      sinkContext.requestTimeout(timeout);
      return this;
    }

    /**
     * What the local network check resolves destination host names with, when a destination is
     * saved and before every request; default {@link io.auditstream.api.sink.HostResolver#system()}.
     * For tests and hosts with their own DNS policy. Each lookup is still bounded by {@link
     * #connectTimeout(Duration)}. See {@link io.auditstream.api.sink.HostResolver} for which clients
     * then connect to the addresses it returned.
     *
     * @throws NullPointerException when {@code resolver} is null
     */
    public Builder hostResolver(io.auditstream.api.sink.HostResolver resolver) {
      sinkContext.hostResolver(resolver);
      return this;
    }

    /** Bound of events accepted but not yet routed; default {@value #DEFAULT_QUEUE_CAPACITY}. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = capacity;
      return this;
    }

    /** Destinations of one kind a group may have; default {@value #DEFAULT_MAX_DESTINATIONS_PER_KIND}. */
    public Builder maxDestinationsPerKind(int max) {
      this.maxDestinationsPerKind = max;
      return this;
    }

    /** How long {@link #close()} waits for pending deliveries; default 10 seconds. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = timeout;
      return this;
    }

    /** Uses exactly these sink providers instead of discovering them with {@link java.util.ServiceLoader}. */
    public Builder sinkProviders(List<? extends SinkProvider> providers) {
      this.sinkProviders = new ArrayList<>(providers);
      return this;
    }

    /**
     * Adds a provider beside those found or given; it replaces any other provider of its kind. For
     * a test sink, or a sink that needs constructor arguments.
     */
    public Builder addSinkProvider(SinkProvider provider) {
      extraSinkProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** The class loader that {@link java.util.ServiceLoader} searches; default this library's. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
      return this;
    }

    /**
     * The clock for destination timestamps and enqueue times; default {@link Clock#systemUTC()}.
     *
     * @throws NullPointerException when {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws ValidationException when a setting is missing or out of range
     */
    public AuditStreamer build() {
      ValidationException.Collector v = ValidationException.collector();
      v.check(accessPolicy != null, "accessPolicy", "accessPolicy is required: it says who owns which group");
      v.check(queueCapacity >= 1, "queueCapacity", "queueCapacity must be at least 1 (was " + queueCapacity + ")");
      v.check(maxDestinationsPerKind >= 1 && maxDestinationsPerKind <= 1000, "maxDestinationsPerKind",
          "maxDestinationsPerKind must be 1 to 1000 (was " + maxDestinationsPerKind + ")");
      v.check(closeTimeout != null && !closeTimeout.isNegative(), "closeTimeout", "closeTimeout must be zero or positive");
      v.check(retryPolicy != null, "retryPolicy", "retryPolicy is required");
      v.check(eventTypeCatalog != null, "eventTypeCatalog", "eventTypeCatalog is required");
      v.throwIfAny();
      return new AuditStreamer(this);
    }
  }
}
