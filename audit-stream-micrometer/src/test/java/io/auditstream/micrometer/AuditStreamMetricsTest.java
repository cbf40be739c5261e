package io.auditstream.micrometer;

import static io.auditstream.micrometer.AuditStreamMetrics.DELIVERIES;
import static io.auditstream.micrometer.AuditStreamMetrics.DELIVERIES_DROPPED;
import static io.auditstream.micrometer.AuditStreamMetrics.DELIVERIES_PENDING;
import static io.auditstream.micrometer.AuditStreamMetrics.DELIVERY_LATENCY;
import static io.auditstream.micrometer.AuditStreamMetrics.DESTINATIONS_PAUSED;
import static io.auditstream.micrometer.AuditStreamMetrics.EVENTS_ACCEPTED;
import static io.auditstream.micrometer.AuditStreamMetrics.EVENTS_REFUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.RecordingSinkProvider;
import io.auditstream.testing.TestAccessPolicy;
import io.auditstream.testing.TestClock;
import io.auditstream.testing.TestDestinations;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters of a real streamer, on an in-memory queue and the testing kit's recording sinks. */
class AuditStreamMetricsTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RetryPolicy FAST_RETRIES = RetryPolicy.builder()
      .schedule(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4), Duration.ofMillis(5)).build();
  private static final String TEST_KIND = RecordingSinkProvider.KIND;
  private static final String HTTP_KIND = HttpDestinationConfig.DESTINATION_KIND.name();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingSinkProvider testSink = RecordingSinkProvider.create();
  private final RecordingSinkProvider httpSink = RecordingSinkProvider.create(HttpDestinationConfig.DESTINATION_KIND);
  private final TestAccessPolicy owners = TestAccessPolicy.owners().grant("alice", "acme").grant("alice", "globex");
  private final List<AuditStreamer> streamers = new ArrayList<>();

  @AfterEach
  void closeStreamers() {
    streamers.forEach(AuditStreamer::close);
  }

  /** A streamer with both recording sinks and fast retries, observed by {@code metrics}; not built yet. */
  private AuditStreamer.Builder streamer(AuditStreamMetrics metrics) {
    return AuditStreamer.builder()
        .accessPolicy(owners)
        .addSinkProvider(testSink)
        .addSinkProvider(httpSink)
        .retryPolicy(FAST_RETRIES)
        .deliveryObserver(metrics)
        .closeTimeout(Duration.ofSeconds(1));
  }

  /** Builds the streamer, closed after the test, and binds {@code metrics} to it. */
  private AuditStreamer start(AuditStreamer.Builder builder, AuditStreamMetrics metrics) {
    AuditStreamer streamer = builder.build();
    streamers.add(streamer);
    metrics.bindTo(streamer);
    return streamer;
  }

  private AuditStreamer start(AuditStreamMetrics metrics) {
    return start(streamer(metrics), metrics);
  }

  private static Destination createTestDestination(AuditStreamer streamer, String group, String name) {
    return streamer.destinations().create(ALICE, group, TestDestinations.draft().name(name).build());
  }

  private static AuditEvent event(String group) {
    return AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 7L, group).build();
  }

  private double counted(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double deliveries(String kind, String outcome) {
    return registry.get(DELIVERIES).tags("kind", kind, "outcome", outcome).counter().count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void countsAcceptedEventsAndEventsRefusedForTheirSizeOrAfterClose() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    AuditStreamer streamer = start(streamer(metrics).maxEventBytes(1024), metrics);
    createTestDestination(streamer, "acme", "siem");
    AuditEvent tooLarge = AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 7L, "acme")
        .customMessage("x".repeat(2000)).build();

    assertThat(streamer.stream(event("acme"))).isTrue();
    assertThat(streamer.stream(event("acme"))).isTrue();
    assertThat(streamer.stream(tooLarge)).isFalse();
    assertThat(streamer.flush(WAIT)).isTrue();
    streamer.close();
    assertThat(streamer.stream(event("acme"))).isFalse();

    assertThat(counted(EVENTS_ACCEPTED)).isEqualTo(2);
    assertThat(counted(EVENTS_REFUSED, "reason", "too_large")).isEqualTo(1);
    assertThat(counted(EVENTS_REFUSED, "reason", "closed")).isEqualTo(1);
    assertThat(counted(EVENTS_REFUSED, "reason", "queue_full")).isZero();
  }

  @Test
  void countsEventsRefusedByAFullIngressQueue() throws Exception {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    StalledOfferQueue stalled = new StalledOfferQueue();
    AuditStreamer streamer = start(streamer(metrics).deliveryQueue(stalled.queue).queueCapacity(1), metrics);
    createTestDestination(streamer, "acme", "siem");
    int refused = 0;
    try {
      assertThat(streamer.stream(event("acme"))).isTrue();
      assertThat(stalled.offering.await(10, TimeUnit.SECONDS)).as("the router stalls in its offer").isTrue();
      // The router holds the first event; the ingress takes one more, and refuses the rest.
      for (int i = 0; i < 5; i++) {
        refused += streamer.stream(event("acme")) ? 0 : 1;
      }
    } finally {
      stalled.gate.countDown();
    }

    assertThat(refused).isEqualTo(4);
    assertThat(counted(EVENTS_REFUSED, "reason", "queue_full")).isEqualTo(4);
    assertThat(counted(EVENTS_ACCEPTED)).isEqualTo(2);
  }

  @Test
  void countsDeliveriesByDestinationKindAndOutcome() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    AuditStreamer streamer = start(metrics);
    createTestDestination(streamer, "acme", "siem");
    streamer.destinations().create(ALICE, "globex", DestinationDraft.http("https://siem.example.com/audit").build());

    streamer.stream(event("acme"));
    streamer.stream(event("acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    httpSink.failNextAttempts(1, true);
    streamer.stream(event("globex"));
    assertThat(streamer.flush(WAIT)).isTrue();
    httpSink.failNextAttempts(1, false);
    streamer.stream(event("globex"));
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(deliveries(TEST_KIND, "delivered")).isEqualTo(2);
    assertThat(deliveries(TEST_KIND, "retried")).isZero();
    assertThat(deliveries(TEST_KIND, "dead_lettered")).isZero();
    assertThat(deliveries(HTTP_KIND, "delivered")).isEqualTo(1);
    assertThat(deliveries(HTTP_KIND, "retried")).isEqualTo(1);
    assertThat(deliveries(HTTP_KIND, "dead_lettered")).isEqualTo(1);
    assertThat(counted(DELIVERIES_DROPPED)).isZero();
    // Few series by default: no group or destination tag.
    assertThat(registry.find(DELIVERIES).counters()).hasSize(6).allSatisfy(c ->
        assertThat(c.getId().getTags()).extracting(Tag::getKey).containsExactly("kind", "outcome"));
    assertThat(registry.find(DELIVERY_LATENCY).timers()).extracting(t -> t.getId().getTags())
        .containsExactlyInAnyOrder(List.of(Tag.of("kind", HTTP_KIND)), List.of(Tag.of("kind", TEST_KIND)));
  }

  @Test
  void recordsOneLatencyPerDeliveredEventFromAcceptanceUntilTheDestinationAcceptedIt() throws Exception {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    TestClock clock = TestClock.at(Instant.parse("2026-11-25T12:00:00Z"));
    GatedSinkProvider gated = new GatedSinkProvider();
    AuditStreamer streamer = start(AuditStreamer.builder().accessPolicy(owners).addSinkProvider(gated).clock(clock)
        .deliveryObserver(metrics).closeTimeout(Duration.ofSeconds(1)), metrics);
    createTestDestination(streamer, "acme", "siem");
    try {
      streamer.stream(event("acme"));
      assertThat(gated.entered.await(10, TimeUnit.SECONDS)).as("the first delivery is in flight").isTrue();
      streamer.stream(event("acme"));
      // Both were accepted now; the destination answers 250 ms later.
      clock.advance(Duration.ofMillis(250));
    } finally {
      gated.gate.countDown();
    }
    assertThat(streamer.flush(WAIT)).isTrue();

    Timer latency = registry.get(DELIVERY_LATENCY).tags("kind", TEST_KIND).timer();
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500);
    assertThat(latency.max(TimeUnit.MILLISECONDS)).isEqualTo(250);
  }

  @Test
  void pendingAndPausedGaugesFollowTheDestinations() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    AuditStreamer streamer = start(metrics);
    Destination paused = createTestDestination(streamer, "acme", "paused");
    createTestDestination(streamer, "acme", "running");
    assertThat(gauge(DESTINATIONS_PAUSED)).isZero();
    assertThat(gauge(DELIVERIES_PENDING)).isZero();

    streamer.destinations().pause(ALICE, paused.id(), "receiver maintenance");
    for (int i = 0; i < 3; i++) {
      streamer.stream(event("acme"));
    }
    // Flush waits for the destinations that deliver: the paused one keeps its three.
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(gauge(DESTINATIONS_PAUSED)).isEqualTo(1);
    assertThat(gauge(DELIVERIES_PENDING)).isEqualTo(3);

    streamer.destinations().resume(ALICE, paused.id());
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(gauge(DESTINATIONS_PAUSED)).isZero();
    assertThat(gauge(DELIVERIES_PENDING)).isZero();
    assertThat(deliveries(TEST_KIND, "delivered")).isEqualTo(6);
  }

  @Test
  void tagsDeliveriesAndLatencyWithGroupAndDestinationWhenAsked() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).groupTag(true).destinationTag(true).build();
    AuditStreamer streamer = start(metrics);
    Destination acme = createTestDestination(streamer, "acme", "siem");
    Destination globex = createTestDestination(streamer, "globex", "siem");

    streamer.stream(event("acme"));
    streamer.stream(event("acme/platform"));
    streamer.stream(event("globex"));
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(registry.get(DELIVERIES)
        .tags("kind", TEST_KIND, "outcome", "delivered", "group", "acme", "destination", acme.id().value())
        .counter().count()).isEqualTo(2);
    assertThat(registry.get(DELIVERIES)
        .tags("kind", TEST_KIND, "outcome", "delivered", "group", "globex", "destination", globex.id().value())
        .counter().count()).isEqualTo(1);
    assertThat(registry.get(DELIVERY_LATENCY)
        .tags("kind", TEST_KIND, "group", "acme", "destination", acme.id().value()).timer().count()).isEqualTo(2);
  }

  @Test
  void tagsTheGroupAloneWhenOnlyTheGroupIsAsked() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).groupTag(true).build();
    AuditStreamer streamer = start(metrics);
    createTestDestination(streamer, "acme", "one");
    createTestDestination(streamer, "acme", "two");

    streamer.stream(event("acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    // The two destinations of acme share their series.
    assertThat(registry.get(DELIVERIES).tags("kind", TEST_KIND, "outcome", "delivered", "group", "acme").counter()
        .count()).isEqualTo(2);
    assertThat(registry.find(DELIVERIES).meters()).isNotEmpty().allSatisfy(m ->
        assertThat(m.getId().getTags()).extracting(Tag::getKey).containsExactly("group", "kind", "outcome"));
    assertThat(registry.find(DELIVERY_LATENCY).timers()).singleElement().satisfies(t ->
        assertThat(t.getId().getTags()).containsExactly(Tag.of("group", "acme"), Tag.of("kind", TEST_KIND)));
  }

  @Test
  void everyMeterHasADescriptionAndABaseUnit() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    AuditStreamer streamer = start(metrics);
    createTestDestination(streamer, "acme", "siem");
    streamer.stream(event("acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsOnly(EVENTS_ACCEPTED,
        EVENTS_REFUSED, DELIVERIES, DELIVERIES_DROPPED, DELIVERIES_PENDING, DELIVERY_LATENCY, DESTINATIONS_PAUSED);
    assertThat(registry.getMeters()).allSatisfy(m -> {
      Meter.Id id = m.getId();
      assertThat(id.getDescription()).as("description of %s", id).isNotBlank();
      assertThat(id.getBaseUnit()).as("base unit of %s", id).isNotBlank();
    });
  }

  @Test
  void afterCloseTheCountersKeepTheirCountsAndTheGaugesReadNaN() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    AuditStreamer streamer = start(metrics);
    createTestDestination(streamer, "acme", "siem");
    streamer.stream(event("acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    streamer.close();

    assertThat(counted(EVENTS_ACCEPTED)).isEqualTo(1);
    assertThat(deliveries(TEST_KIND, "delivered")).isEqualTo(1);
    assertThat(gauge(DELIVERIES_PENDING)).isNaN();
    assertThat(gauge(DESTINATIONS_PAUSED)).isNaN();
  }

  @Test
  void bindingTheSameStreamerAgainChangesNothingAndAnotherStreamerIsRefused() {
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    AuditStreamer streamer = start(metrics);
    List<Meter> meters = registry.getMeters();

    metrics.bindTo(streamer);
    assertThat(registry.getMeters()).containsExactlyInAnyOrderElementsOf(meters);

    AuditStreamer other = AuditStreamer.builder().accessPolicy(owners).build();
    streamers.add(other);
    assertThatThrownBy(() -> metrics.bindTo(other)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another streamer");
    assertThat(registry.getMeters()).containsExactlyInAnyOrderElementsOf(meters);
  }

  @Test
  void refusesNullRegistryAndNullStreamer() {
    assertThatThrownBy(() -> AuditStreamMetrics.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("registry");
    AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
    assertThatThrownBy(() -> metrics.bindTo(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("streamer");
  }
}
