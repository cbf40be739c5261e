package io.auditstream.micrometer;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationHealthView;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DeliveryStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one {@link AuditStreamer}: what it accepted and refused, what became of its
 * deliveries by destination kind, how long they took, how many wait, and how many destinations are
 * paused. A host without Spring wires it in three lines:
 *
 * <pre>{@code
 * AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
 * AuditStreamer streamer = AuditStreamer.builder()
 *     .accessPolicy(policy)
 *     .deliveryObserver(metrics)      // feeds audit.stream.deliveries and audit.stream.delivery.latency
 *     .build();
 * metrics.bindTo(streamer);           // registers the meters that read the streamer
 * }</pre>
 *
 * <p>The meters ({@code {tags}}):
 *
 * <ul>
 *   <li>{@value #EVENTS_ACCEPTED}: function counter, events {@code stream} or {@code submit} accepted
 *       ({@link DeliveryStats#accepted()});
 *   <li>{@value #EVENTS_REFUSED}{@code {reason}}: function counters, events refused, {@code reason} {@value
 *       #REASON_QUEUE_FULL}, {@value #REASON_CLOSED} or {@value #REASON_TOO_LARGE};
 *   <li>{@value #DELIVERIES}{@code {kind,outcome}}: counters, deliveries by destination kind and outcome,
 *       {@value #OUTCOME_DELIVERED}, {@value #OUTCOME_RETRIED} (a failed attempt whose deliveries are
 *       attempted again; a delivery that fails three times counts three times) or {@value
 *       #OUTCOME_DEAD_LETTERED};
 *   <li>{@value #DELIVERIES_DROPPED}: function counter, deliveries dropped ({@link DeliveryStats#dropped()});
 *   <li>{@value #DELIVERIES_PENDING}: gauge, deliveries waiting for all destinations;
 *   <li>{@value #DELIVERY_LATENCY}{@code {kind}}: timer, from when an event was accepted until its
 *       destination accepted it, once per delivered event;
 *   <li>{@value #DESTINATIONS_PAUSED}: gauge, destinations paused (by an Owner or automatically).
 * </ul>
 *
 * <p>Tags stay few by default: a destination kind has a handful of values. {@link Builder#groupTag} adds
 * {@code group} (the destination's top-level group) and {@link Builder#destinationTag} adds {@code
 * destination} (its id) to {@value #DELIVERIES} and {@value #DELIVERY_LATENCY}; each adds a series per
 * group or destination, kept until the registry is closed, deleted destinations' too.
 *
 * <p>One instance serves one streamer: it is that streamer's observer and is bound to it. The delivery
 * meters have no tag that tells streamers apart, so two streamers in one registry add up their deliveries,
 * while only the first one bound shows its counts and gauges. Thread-safe; the observer's methods take no
 * lock of their own and, once a kind's meters exist, look nothing up in the registry.
 */
public final class AuditStreamMetrics implements DeliveryObserver {
  /** Events the streamer accepted. */
  public static final String EVENTS_ACCEPTED = "audit.stream.events.accepted";
  /** Events the streamer refused, by {@value #TAG_REASON}. */
  public static final String EVENTS_REFUSED = "audit.stream.events.refused";
  /** Deliveries by {@value #TAG_KIND} and {@value #TAG_OUTCOME}. */
  public static final String DELIVERIES = "audit.stream.deliveries";
  /** Deliveries dropped: never made and not kept. */
  public static final String DELIVERIES_DROPPED = "audit.stream.deliveries.dropped";
  /** Deliveries waiting, for all destinations. */
  public static final String DELIVERIES_PENDING = "audit.stream.deliveries.pending";
  /** From acceptance to delivery, by {@value #TAG_KIND}. */
  public static final String DELIVERY_LATENCY = "audit.stream.delivery.latency";
  /** Destinations paused. */
  public static final String DESTINATIONS_PAUSED = "audit.stream.destinations.paused";

  /** The tag of a destination's kind ({@code http}, {@code gcp}, {@code s3}, or a host's own). */
  public static final String TAG_KIND = "kind";
  /** The tag of what became of deliveries. */
  public static final String TAG_OUTCOME = "outcome";
  /** The tag of why events were refused. */
  public static final String TAG_REASON = "reason";
  /** The tag of a destination's top-level group, when {@link Builder#groupTag} asks for it. */
  public static final String TAG_GROUP = "group";
  /** The tag of a destination's id, when {@link Builder#destinationTag} asks for it. */
  public static final String TAG_DESTINATION = "destination";

  /** The destination accepted the deliveries. */
  public static final String OUTCOME_DELIVERED = "delivered";
  /** An attempt failed and its deliveries will be attempted again. */
  public static final String OUTCOME_RETRIED = "retried";
  /** The deliveries were given up on and kept as dead letters. */
  public static final String OUTCOME_DEAD_LETTERED = "dead_lettered";
  /** The ingress queue was full. */
  public static final String REASON_QUEUE_FULL = "queue_full";
  /** The streamer was closed. */
  public static final String REASON_CLOSED = "closed";
  /** The event's JSON was larger than the streamer's {@code maxEventBytes}. */
  public static final String REASON_TOO_LARGE = "too_large";

  static final String UNIT_DELIVERIES = "deliveries";
  static final String UNIT_DESTINATIONS = "destinations";

  private final MeterRegistry registry;
  private final boolean groupTag;
  private final boolean destinationTag;
  private final ConcurrentHashMap<MeterKey, DeliveryMeters> meters = new ConcurrentHashMap<>();
  /** The streamer bound, held weakly as the meters that read it do; null until bound. Guarded by this. */
  private WeakReference<AuditStreamer> bound;

  /** Which meters an outcome goes to; group and destination are empty unless their tag is on. */
  private record MeterKey(String kind, String group, String destination) {}

  private AuditStreamMetrics(Builder b) {
    this.registry = b.registry;
    this.groupTag = b.groupTag;
    this.destinationTag = b.destinationTag;
  }

  /**
   * A builder of metrics registered in {@code registry}.
   *
   * @throws NullPointerException when {@code registry} is null
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(Objects.requireNonNull(registry, "registry"));
  }

  /**
   * Registers the meters that read {@code streamer}: {@value #EVENTS_ACCEPTED}, {@value #EVENTS_REFUSED},
   * {@value #DELIVERIES_DROPPED} (from {@link AuditStreamer#stats()}, which still answers once it is closed)
   * and the gauges {@value #DELIVERIES_PENDING} and {@value #DESTINATIONS_PAUSED} (from {@link
   * AuditStreamer#health()}, read at each reading of each gauge, so a scrape reads the destination store
   * and each destination's queue counts twice; both read NaN once the streamer is closed).
   *
   * <p>They hold the streamer weakly, as Micrometer's function counters and gauges do: they never keep a
   * streamer alive, and once the host let go of it and it was collected, the counters stop moving and the
   * gauges read NaN. The host keeps the streamer anyway, to close it.
   *
   * <p>Binding the streamer already bound again does nothing.
   *
   * @throws IllegalStateException when another streamer is bound already (or was, and has been collected):
   *     one instance serves one streamer
   * @throws NullPointerException when {@code streamer} is null
   */
  public synchronized void bindTo(AuditStreamer streamer) {
    Objects.requireNonNull(streamer, "streamer");
    if (bound != null) {
      if (bound.get() == streamer) {
        return;
      }
      throw new IllegalStateException("these audit stream metrics are bound to another streamer already: build"
          + " one AuditStreamMetrics per streamer");
    }
    bound = new WeakReference<>(streamer);
    eventCounter(EVENTS_ACCEPTED, "Events the streamer accepted from the host (stream or submit)", Tags.empty(),
        s -> s.stats().accepted(), streamer);
    // One description for the three: a registry keeps one per name.
    String refused = "Events the streamer refused, by reason: queue_full (its ingress queue was full), closed, or"
        + " too_large (JSON larger than its maxEventBytes)";
    eventCounter(EVENTS_REFUSED, refused, Tags.of(TAG_REASON, REASON_QUEUE_FULL), s -> s.stats().refusedFull(),
        streamer);
    eventCounter(EVENTS_REFUSED, refused, Tags.of(TAG_REASON, REASON_CLOSED), s -> s.stats().refusedClosed(),
        streamer);
    eventCounter(EVENTS_REFUSED, refused, Tags.of(TAG_REASON, REASON_TOO_LARGE), s -> s.stats().refusedTooLarge(),
        streamer);
    FunctionCounter.builder(DELIVERIES_DROPPED, streamer, s -> s.stats().dropped())
        .description("Deliveries of accepted events that will never be made and are not kept: refused by a full"
            + " destination backlog, not stored by a failing queue, or left in memory at close")
        .baseUnit(UNIT_DELIVERIES)
        .register(registry);
    Gauge.builder(DELIVERIES_PENDING, streamer, AuditStreamMetrics::pending)
        .description("Deliveries waiting for their destination, paused and inactive destinations included")
        .baseUnit(UNIT_DELIVERIES)
        .register(registry);
    Gauge.builder(DESTINATIONS_PAUSED, streamer, AuditStreamMetrics::paused)
        .description("Destinations paused, by an Owner or automatically: their events wait until they are resumed")
        .baseUnit(UNIT_DESTINATIONS)
        .register(registry);
  }

  private void eventCounter(String name, String description, Tags tags, ToDoubleFunction<AuditStreamer> count,
      AuditStreamer streamer) {
    FunctionCounter.builder(name, streamer, count)
        .description(description)
        .baseUnit(BaseUnits.EVENTS)
        .tags(tags)
        .register(registry);
  }

  private static double pending(AuditStreamer streamer) {
    try {
      return streamer.health().stream().mapToLong(v -> v.status().pending()).sum();
    } catch (IllegalStateException closed) {
      return Double.NaN;
    }
  }

  private static double paused(AuditStreamer streamer) {
    try {
      return streamer.health().stream().filter(DestinationHealthView::paused).count();
    } catch (IllegalStateException closed) {
      return Double.NaN;
    }
  }

  /** Counts the deliveries as {@value #OUTCOME_DELIVERED} and records each one's latency. */
  @Override
  public void delivered(Destination destination, List<QueuedDelivery> deliveries, Instant at) {
    metersFor(destination).delivered(deliveries, at);
  }

  /**
   * Counts the deliveries as {@value #OUTCOME_RETRIED} when they were; those not retried are counted by
   * {@link #deadLettered}.
   */
  @Override
  public void attemptFailed(Destination destination, int deliveries, boolean retried) {
    if (retried) {
      metersFor(destination).retried(deliveries);
    }
  }

  /** Counts the deliveries as {@value #OUTCOME_DEAD_LETTERED}. */
  @Override
  public void deadLettered(Destination destination, int deliveries) {
    metersFor(destination).deadLettered(deliveries);
  }

  private DeliveryMeters metersFor(Destination d) {
    MeterKey key = new MeterKey(d.kind(), groupTag ? d.groupPath() : "", destinationTag ? d.id().value() : "");
    DeliveryMeters m = meters.get(key);
    // get first: computeIfAbsent may lock the bin even when the meters exist.
    return m != null ? m : meters.computeIfAbsent(key, this::register);
  }

  private DeliveryMeters register(MeterKey key) {
    Tags tags = Tags.of(TAG_KIND, key.kind());
    if (groupTag) {
      tags = tags.and(TAG_GROUP, key.group());
    }
    if (destinationTag) {
      tags = tags.and(TAG_DESTINATION, key.destination());
    }
    return DeliveryMeters.register(registry, tags);
  }

  /**
   * Builds {@link AuditStreamMetrics}. Both tags are off by default, which keeps one series per destination
   * kind and outcome. Not thread-safe; the metrics it builds are.
   */
  public static final class Builder {
    private final MeterRegistry registry;
    private boolean groupTag;
    private boolean destinationTag;

    private Builder(MeterRegistry registry) {
      this.registry = registry;
    }

    /**
     * Whether {@value AuditStreamMetrics#DELIVERIES} and {@value AuditStreamMetrics#DELIVERY_LATENCY} carry the
     * tag {@value AuditStreamMetrics#TAG_GROUP}: the destination's top-level group path. Off by default: a series
     * per group.
     */
    public Builder groupTag(boolean on) {
      this.groupTag = on;
      return this;
    }

    /**
     * Whether {@value AuditStreamMetrics#DELIVERIES} and {@value AuditStreamMetrics#DELIVERY_LATENCY} carry the
     * tag {@value AuditStreamMetrics#TAG_DESTINATION}: the destination's id. Off by default: a series per
     * destination, of every group.
     */
    public Builder destinationTag(boolean on) {
      this.destinationTag = on;
      return this;
    }

    /** The metrics; nothing is registered until the first outcome or {@link AuditStreamMetrics#bindTo}. */
    public AuditStreamMetrics build() {
      return new AuditStreamMetrics(this);
    }
  }
}
