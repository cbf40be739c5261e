package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationHealthView;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The entry point of audit-stream: a host builds one at start-up, hands it every audit event with
 * {@link #stream(AuditEvent)}, lets group Owners manage destinations through {@link #destinations()},
 * shows its operators their health ({@link #health()}), and closes it at shutdown.
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
 * <p>Thread-safe. {@link #stream} and {@link #submit} never block and never touch the network:
 * events go to a bounded ingress queue, and the streamer's own threads route them into the {@link
 * DeliveryQueue} (each destination's backlog bounded there) and deliver them. When the ingress queue
 * is full an event is refused: {@code stream} returns false, {@code submit}'s future fails, and the
 * refusal is counted ({@link #stats()}) and logged.
 *
 * <h2>What is guaranteed</h2>
 *
 * <p>An event is <em>accepted</em> when {@link #stream} returned true; with a durable {@link
 * DeliveryQueue}, when the future of {@link #submit} completed, that is once its deliveries are
 * committed to the queue (events still waiting for that group commit are at risk if the host crashes,
 * and no others). Every accepted event ends, for each destination that wants it, in exactly one of:
 *
 * <ul>
 *   <li><b>delivered</b>: the destination accepted it (a receiver may see it more than once, always with
 *       the same {@code id}: receivers deduplicate on it);
 *   <li><b>a dead letter</b>: the destination refused it for good, or it aged out of its retries ({@link
 *       RetryPolicy#maxAge()}); kept with its id and reason, reported to the {@link DeliveryListener},
 *       listed and redeliverable by the group's Owners ({@link DestinationService#deadLetters}, {@link
 *       DestinationService#redeliver});
 *   <li><b>pending in the durable store</b>: not delivered yet, and resumed after a restart with its
 *       retry schedule;
 *   <li><b>dropped</b>, because its own destination's backlog reached that destination's bound (or, for
 *       the in-memory queue, the whole queue reached its bound, or the streamer closed with it still
 *       queued): counted on the destination's status and in {@link #stats()}, logged with the event id,
 *       reported to the {@link DeliveryListener}.
 * </ul>
 *
 * <p>Nothing else. One destination never makes another lose or wait: each has its own bound and its
 * own delivery lane, no thread waits on a destination's network, and a destination that is down is
 * probed with its oldest delivery alone, on the {@link RetryPolicy}'s schedule, while the others go on.
 * Each destination gets its events in order, but for those sent together in one window (see {@link
 * Builder#maxInFlightPerDestination}). With the default {@link
 * InMemoryDeliveryQueue} nothing survives the host process: what {@link #close()} leaves undelivered is
 * reported as dropped (reason {@code "closed"}), and dead letters last until then.
 *
 * <p>Several host instances may share one {@link DestinationStore} and one {@link DeliveryQueue} (a
 * database): their streamers cooperate. Each polls for the others' destination changes (in effect
 * everywhere within a few seconds) and for work they queued, or left when they stopped, and delivers it.
 * {@link #streamInTransaction} adds an event inside the host's own database transaction.
 */
public final class AuditStreamer implements AutoCloseable {
  /** Default bound of events accepted but not yet routed. */
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** The default largest event, in bytes of its JSON payload: 1 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1_048_576;
  /** How many destinations of one kind a group may have, by default (as GitLab). */
  public static final int DEFAULT_MAX_DESTINATIONS_PER_KIND = 5;
  /** How long {@link #close()} waits for queued events to be delivered. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** By default destinations are never paused automatically: see {@link Builder#autoPauseAfter}. */
  public static final Duration DEFAULT_AUTO_PAUSE_AFTER = Duration.ZERO;
  /** How many deliveries of one destination may be in flight at once, by default (and at most). */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_DESTINATION = 16;

  private final StreamerParts parts;

  private AuditStreamer(Builder b) {
    this.parts = new StreamerParts(b);
    parts.engine.start();
  }

  /** A new builder holding the defaults; only {@link Builder#accessPolicy} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Hands an event to the streamer: a cheap, non-blocking offer. Returns at once: routing, encoding
   * and delivery happen on the streamer's threads. Never throws for an event it cannot take.
   *
   * <p>It allocates nothing, takes no lock and rarely wakes a thread (the router looks again within about
   * a millisecond while events flow). The event's size is checked by one comparison of {@link
   * AuditEvent#encodedSizeBound()} with {@link Builder#maxEventBytes}; only an event whose bound lies
   * above the limit is encoded, on the caller's thread, to know its exact size. The acceptance time, from which an event's age counts, is to the
   * millisecond and may be about a millisecond early (a reading the router keeps), never late.
   *
   * @return true if the event was accepted (an event of a group without active destinations is
   *     accepted and discarded: there is nothing to deliver); false if it was refused because the
   *     ingress queue was full (counted, see {@link #droppedCount()}, and logged), its JSON payload is
   *     larger than {@link Builder#maxEventBytes} (counted as {@link DeliveryStats#refusedTooLarge()} and
   *     logged), or the streamer is closed (counted)
   * @throws NullPointerException when {@code event} is null
   */
  public boolean stream(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return parts.engine.stream(event);
  }

  /**
   * Hands an event to the streamer, as {@link #stream} does, and returns a future that completes once
   * the event's deliveries have been offered to the delivery queue and stored (with a durable queue:
   * committed), which is when a durable queue takes responsibility for the event. A delivery its
   * destination's bound refused is dropped (counted, logged, reported to the listener) and does not fail
   * the future. Never blocks: the future completes on a streamer thread (not the routing thread), and
   * dependent stages run there unless added with an {@code ...Async} method.
   *
   * @return a future that fails with an {@link io.auditstream.api.AuditStreamException} saying why the
   *     event was not stored: the ingress queue was full, the event is larger than {@link
   *     Builder#maxEventBytes}, the streamer is closed (or closed before it was
   *     stored), or the queue failed to store it
   * @throws NullPointerException when {@code event} is null
   */
  public CompletableFuture<Void> submit(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return parts.engine.submit(event);
  }

  /**
   * Adds an event inside the host's own database transaction (the transactional outbox): the event is
   * delivered if and only if that transaction commits. It is appended to the delivery queue's inbox on
   * {@code connection} and routed by a streamer that polls the queue (this one or another sharing it),
   * within the queue's {@link DeliveryQueue#pollInterval() poll interval} of the commit, to the destinations
   * that want it then. Does not commit, roll back or close the connection. With Spring, pass the
   * transaction's connection: {@code DataSourceUtils.getConnection(dataSource)}. An event that belongs to
   * no group goes to no destination and is not appended, as {@link #stream} accepts and discards it.
   *
   * @param connection the host's connection, in the transaction that makes the business change
   * @throws NullPointerException when an argument is null
   * @throws IllegalStateException when the streamer is closed
   * @throws UnsupportedOperationException when the delivery queue has no inbox that the streamer polls
   *     (a durable outbox on the host's database has one)
   * @throws io.auditstream.api.AuditStreamException when the event's JSON payload is larger than {@link
   *     Builder#maxEventBytes}; nothing is appended
   * @throws SQLException when the database refuses the insert: the host's transaction decides what follows
   */
  public void streamInTransaction(Connection connection, AuditEvent event) throws SQLException {
    parts.checkOpen();
    parts.appendInTransaction(connection, event);
  }

  /** What the streamer did with the host's events since it started; a snapshot. Also after {@link #close()}. */
  public DeliveryStats stats() {
    return parts.engine.stats();
  }

  /** Destination management, on behalf of group Owners. */
  public DestinationService destinations() {
    return parts.destinations;
  }

  /**
   * Every destination of every group, sorted by group path then oldest first, with its group, name, kind,
   * active flag, paused reason and {@link io.auditstream.api.destination.DestinationStatus}: for the host's
   * operators, so no Owner is checked (a host that shows it to others checks who asks) and no secret is
   * shown. Reads the destination store; never touches the network.
   *
   * @throws IllegalStateException once the streamer is closed, whose destination store is closed with it
   */
  public List<DestinationHealthView> health() {
    parts.checkOpen();
    return parts.health.all();
  }

  /**
   * Whether the streamer takes and delivers events: not closed, its routing thread alive and its
   * delivery threads running. What a host's health check reports; it says nothing about any destination
   * (see {@link #health()} for those). Never blocks.
   */
  public boolean running() {
    return parts.running();
  }

  /**
   * Waits until every event streamed so far has been delivered or given up on, or {@code timeout}
   * passed. Blocks the caller; never call it on a request thread.
   *
   * @return true if nothing is left pending
   */
  public boolean flush(Duration timeout) {
    return parts.engine.flush(timeout);
  }

  /**
   * Events refused because the ingress queue was full, since start: {@link #stats()}{@code
   * .refusedFull()}. Deliveries dropped for a destination are {@link DeliveryStats#dropped()}.
   */
  public long droppedCount() {
    return parts.engine.droppedCount();
  }

  /**
   * Stops accepting events at once ({@link #stream} returns false, {@link #submit} fails, every {@link
   * DestinationService} call throws {@link IllegalStateException}), waits up to the close timeout for
   * what was accepted to be delivered, then releases threads, sinks and stores. What is left
   * undelivered then stays in a durable queue (its count logged); with the in-memory queue it is
   * reported event by event: logged with the event ids, counted as dropped, and told to the {@link
   * DeliveryListener} with reason {@code "closed"}. Blocks for up to the close timeout plus a few
   * seconds. Idempotent.
   */
  @Override
  public void close() {
    parts.close();
  }

  /** Builds an {@link AuditStreamer}. Only {@link #accessPolicy} is required. */
  public static final class Builder {
    // Read by StreamerParts, which wires the streamer from them.
    final BuilderSettings s = new BuilderSettings();

    private Builder() {}

    /** Who is Owner of which top-level group. Required. */
    public Builder accessPolicy(AccessPolicy accessPolicy) {
      s.accessPolicy = accessPolicy;
      return this;
    }

    /** Where destinations are kept; default in memory ({@link InMemoryDestinationStore}). */
    public Builder destinationStore(DestinationStore store) {
      s.destinationStore = store;
      return this;
    }

    /**
     * Where deliveries wait; default an {@link InMemoryDeliveryQueue} with its default bounds (100,000
     * events and 256 MiB per destination, 1,000,000 in all). A durable queue makes accepted events
     * survive a crash of the host. The streamer closes it.
     */
    public Builder deliveryQueue(DeliveryQueue queue) {
      s.deliveryQueue = queue;
      return this;
    }

    /** The host's event types; event-type filters naming others are refused. Default: any type. */
    public Builder eventTypeCatalog(EventTypeCatalog catalog) {
      s.eventTypeCatalog = catalog;
      return this;
    }

    /**
     * When failed deliveries are attempted again and when they are given up on; default {@link
     * RetryPolicy#defaults()}. Must not be null.
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      s.retryPolicy = retryPolicy;
      return this;
    }

    /**
     * Who hears of dead letters and dropped deliveries, on the streamer's threads; default nobody (both
     * are still counted and logged with the event ids). Must not be null.
     */
    public Builder deliveryListener(DeliveryListener listener) {
      s.deliveryListener = listener;
      return this;
    }

    /**
     * Who hears the outcome of every delivery attempt (delivered, failed and retried or not, made a dead
     * letter), for metrics such as {@code io.auditstream:audit-stream-micrometer}'s; default nobody, which
     * costs the delivery path nothing. It is called on the streamer's delivery threads, so it must be quick
     * and thread-safe; one that throws is logged and otherwise ignored.
     *
     * @throws NullPointerException when {@code observer} is null
     */
    public Builder deliveryObserver(DeliveryObserver observer) {
      s.deliveryObserver = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Lets destinations be on loopback, private, link-local or metadata addresses. Off by default,
     * which protects the host's network from destinations that point into it (SSRF).
     */
    public Builder allowLocalNetwork(boolean allow) {
      s.sinkContext.allowLocalNetwork(allow);
      return this;
    }

    /**
     * Whether destinations may receive credentials over plain {@code http://} on public hosts too:
     * an HTTP destination's verification token and headers, a Cloud Logging token server's signed
     * assertion, requests to an S3 endpoint. Off by default: such URLs must use {@code https} unless
     * {@link #allowLocalNetwork(boolean)} is on. Turn on only when the network itself is encrypted
     * (a TLS-terminating egress proxy, a private link).
     */
    public Builder allowPlainHttp(boolean allow) {
      s.sinkContext.allowPlainHttp(allow);
      return this;
    }

    /**
     * Certificates to trust for TLS to destinations beside the JVM's default trust anchors, such as the
     * CA of an internal receiver; default none. Every sink of the library uses them (HTTP on either
     * transport, Cloud Logging and its token server, S3). TLS verification itself cannot be turned off.
     */
    public Builder trustedCertificates(java.util.Collection<java.security.cert.X509Certificate> certificates) {
      s.sinkContext.trustedCertificates(certificates);
      return this;
    }

    /** Connect timeout of sinks that connect; default {@link SinkContext#DEFAULT_CONNECT_TIMEOUT}. */
    public Builder connectTimeout(Duration timeout) {
      s.sinkContext.connectTimeout(timeout);
      return this;
    }

    /** Bound on one delivery request; default {@link SinkContext#DEFAULT_REQUEST_TIMEOUT}. */
    public Builder requestTimeout(Duration timeout) {
      s.sinkContext.requestTimeout(timeout);
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
      s.sinkContext.hostResolver(resolver);
      return this;
    }

    /**
     * The largest event the streamer accepts, in bytes of its JSON payload (the UTF-8 form destinations
     * receive): 1024 to 268435456, default {@value #DEFAULT_MAX_EVENT_BYTES} (1 MiB). A larger event is
     * refused whole, never split or cut: {@link AuditStreamer#stream} returns false, the future of {@link
     * AuditStreamer#submit} fails with an {@link io.auditstream.api.AuditStreamException}, and {@link
     * DeliveryStats#refusedTooLarge()} counts it. The check costs one comparison with the size bound that
     * {@link AuditEvent#encodedSizeBound()} found when the event was built; only an event whose bound
     * lies above the limit is encoded, on the caller's thread, to find its exact size.
     */
    public Builder maxEventBytes(int maxEventBytes) {
      s.maxEventBytes = maxEventBytes;
      return this;
    }

    /** Bound of events accepted but not yet routed; default {@value #DEFAULT_QUEUE_CAPACITY}. */
    public Builder queueCapacity(int capacity) {
      s.queueCapacity = capacity;
      return this;
    }

    /** Destinations of one kind a group may have; default {@value #DEFAULT_MAX_DESTINATIONS_PER_KIND}. */
    public Builder maxDestinationsPerKind(int max) {
      s.maxDestinationsPerKind = max;
      return this;
    }

    /** How long {@link #close()} waits for pending deliveries; default 10 seconds. */
    public Builder closeTimeout(Duration timeout) {
      s.closeTimeout = timeout;
      return this;
    }

    /**
     * How many deliveries of one destination may be in flight at once: 1 to 16, default {@value
     * #DEFAULT_MAX_IN_FLIGHT_PER_DESTINATION}; the smaller of this and the sink's {@code maxInFlight()}
     * (1 unless the sink allows more). A failing destination is probed with its oldest batch alone, on
     * the retry schedule; a success opens the window again. Above 1, a destination may receive events out
     * of order (those sent together); 1 keeps strict order.
     */
    public Builder maxInFlightPerDestination(int max) {
      s.maxInFlightPerDestination = max;
      return this;
    }

    /**
     * How many {@code audit-stream-delivery-N} threads run the delivery lanes: 1 to 256, default the
     * available processors, at least 2. They never wait on the network: blocking sinks run on {@code
     * audit-stream-blocking-N} threads, made on demand, at most a window's worth per destination.
     */
    public Builder deliveryThreads(int threads) {
      s.deliveryThreads = threads;
      return this;
    }

    /**
     * Pauses a destination whose oldest delivery has kept failing this long (transient failures, no
     * success in between; counted from the first failure this streamer saw): saved with the reason {@code
     * "paused automatically after failing for <this>: <last error>"}, logged at WARN, told to {@link
     * DeliveryListener#onPaused}. Its events still wait in its backlog until an Owner resumes it. Default
     * {@link Duration#ZERO}, off: a paused destination waits for a person, while without a pause the
     * backlog is bounded and ages out anyway, and delivery resumes by itself when the receiver is back.
     */
    public Builder autoPauseAfter(Duration after) {
      s.autoPauseAfter = after;
      return this;
    }

    /** Uses exactly these sink providers instead of discovering them with {@link java.util.ServiceLoader}. */
    public Builder sinkProviders(List<? extends SinkProvider> providers) {
      s.sinkProviders = new ArrayList<>(providers);
      return this;
    }

    /**
     * Adds a provider beside those found or given; it replaces any other provider of its kind. For
     * a test sink, or a sink that needs constructor arguments.
     */
    public Builder addSinkProvider(SinkProvider provider) {
      s.extraSinkProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** The class loader that {@link java.util.ServiceLoader} searches; default this library's. */
    public Builder classLoader(ClassLoader classLoader) {
      s.classLoader = classLoader;
      return this;
    }

    /**
     * The clock for destination timestamps, enqueue times, retry schedules and ages; default {@link
     * Clock#systemUTC()}.
     *
     * @throws NullPointerException when {@code clock} is null
     */
    public Builder clock(Clock clock) {
      s.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws ValidationException when a setting is missing or out of range
     */
    public AuditStreamer build() {
      StreamerParts.validate(this);
      return new AuditStreamer(this);
    }
  }
}
