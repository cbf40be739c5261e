package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationHealthView;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.core.fixtures.Eventually;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import io.auditstream.core.store.FileDestinationStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause and resume, automatic pauses and the operators' view, through the streamer as a host uses it. */
class AuditStreamerPauseTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Actor BOB = Actor.of("bob");
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** A probe every 20 ms, no jitter: a failing destination is attempted often within a test. */
  private static final RetryPolicy QUICK = RetryPolicy.builder().schedule(Duration.ofMillis(20))
      .maxAge(Duration.ofMinutes(5)).jitter(false).build();

  @TempDir Path dir;

  private final SwitchableSinks sinks = new SwitchableSinks();
  private final List<String> pauses = new CopyOnWriteArrayList<>();
  private final List<Instant> pausedAt = new CopyOnWriteArrayList<>();
  private final List<AuditStreamer> streamers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    streamers.forEach(AuditStreamer::close);
  }

  private AuditStreamer.Builder builder() {
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme")
            || actor.equals(BOB) && group.equals("globex"))
        .sinkProviders(List.of(sinks))
        .retryPolicy(QUICK)
        .deliveryListener(new DeliveryListener() {
          @Override
          public void onPaused(DestinationId destination, String reason) {
            pausedAt.add(Instant.now());
            pauses.add(destination + ": " + reason);
          }
        })
        .closeTimeout(Duration.ofSeconds(1));
  }

  private AuditStreamer start(AuditStreamer.Builder b) {
    AuditStreamer s = b.build();
    streamers.add(s);
    return s;
  }

  private static Destination create(AuditStreamer s, Actor actor, String group, String name) {
    return s.destinations().create(actor, group,
        DestinationDraft.builder(TestConfig.of(SwitchableSinks.KIND, group + "/" + name)).name(name).build());
  }

  private static AuditEvent event(String path) {
    return AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, path).build();
  }

  private static List<AuditEvent> stream(AuditStreamer s, int n) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AuditEvent e = event("acme/e" + i);
      assertThat(s.stream(e)).isTrue();
      events.add(e);
    }
    return events;
  }

  private static List<String> ids(List<AuditEvent> events) {
    return events.stream().map(AuditEvent::id).toList();
  }

  /** Waits for {@code condition}, at most {@link #WAIT}. */
  private static boolean eventually(BooleanSupplier condition) {
    return Eventually.within(WAIT, condition);
  }

  @Test
  void pauseKeepsRoutingAndAccumulatingButDeliversNothingAndResumeReplaysEverythingInOrder() {
    AuditStreamer streamer = start(builder());
    Destination d = create(streamer, ALICE, "acme", "siem");

    Destination paused = streamer.destinations().pause(ALICE, d.id(), "receiver under maintenance");
    List<AuditEvent> events = stream(streamer, 25);

    assertThat(paused.pausedReason()).contains("receiver under maintenance");
    assertThat(eventually(() -> streamer.destinations().status(ALICE, d.id()).pending() == 25)).isTrue();
    assertThat(streamer.flush(WAIT)).as("flush does not wait for a paused destination").isTrue();
    assertThat(sinks.delivered(d.id())).isEmpty();
    assertThat(streamer.destinations().status(ALICE, d.id()).pausedReason()).contains("receiver under maintenance");
    assertThat(streamer.destinations().get(ALICE, d.id()).pausedReason()).contains("receiver under maintenance");
    assertThat(streamer.stats().dropped()).isZero();

    assertThat(streamer.destinations().resume(ALICE, d.id()).paused()).isFalse();

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinks.delivered(d.id())).containsExactlyElementsOf(ids(events));
    assertThat(streamer.destinations().status(ALICE, d.id()).pending()).isZero();
    assertThat(streamer.destinations().status(ALICE, d.id()).pausedReason()).isEmpty();
  }

  @Test
  void pausesAutomaticallyAfterTheConfiguredTimeOfFailuresTellsTheListenerAndShowsTheReason() {
    AuditStreamer streamer = start(builder().autoPauseAfter(Duration.ofMillis(200)));
    Destination d = create(streamer, ALICE, "acme", "siem");
    sinks.failing = true;
    AuditEvent first = event("acme");
    streamer.stream(first);

    assertThat(eventually(() -> !pauses.isEmpty())).isTrue();

    String reason = "paused automatically after failing for 200 milliseconds: HTTP 503";
    assertThat(pauses).containsExactly(d.id() + ": " + reason);
    assertThat(Duration.between(sinks.firstAttemptAt(d.id()), pausedAt.get(0)))
        .as("not before the configured time").isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(sinks.attempts(d.id())).isGreaterThan(5);
    assertThat(streamer.destinations().get(ALICE, d.id()).pausedReason()).contains(reason);
    assertThat(streamer.destinations().status(ALICE, d.id())).satisfies(s -> {
      assertThat(s.pausedReason()).contains(reason);
      assertThat(s.pending()).isOne();
      assertThat(s.lastError()).contains("HTTP 503");
    });
    assertThat(streamer.health()).singleElement().satisfies(h -> {
      assertThat(h.pausedReason()).contains(reason);
      assertThat(h.status().pending()).isOne();
    });

    // Still routed to while paused; the Owner resumes it once the receiver is back.
    AuditEvent second = event("acme/sub");
    streamer.stream(second);
    assertThat(eventually(() -> streamer.destinations().status(ALICE, d.id()).pending() == 2)).isTrue();
    sinks.failing = false;
    streamer.destinations().resume(ALICE, d.id());

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinks.delivered(d.id())).containsExactly(first.id(), second.id());
    assertThat(pauses).hasSize(1);
  }

  @Test
  void automaticPausesAreOffByDefaultAndANegativeTimeIsRefused() {
    assertThat(AuditStreamer.DEFAULT_AUTO_PAUSE_AFTER).isZero();
    assertThatThrownBy(() -> builder().autoPauseAfter(Duration.ofSeconds(-1)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("autoPauseAfter"));

    AuditStreamer streamer = start(builder());
    Destination d = create(streamer, ALICE, "acme", "siem");
    sinks.failing = true;
    streamer.stream(event("acme"));
    assertThat(eventually(() -> sinks.attempts(d.id()) >= 15)).isTrue();

    assertThat(pauses).isEmpty();
    assertThat(streamer.destinations().get(ALICE, d.id()).paused()).isFalse();
  }

  @Test
  void healthListsEveryGroupsDestinationsWithTheirCountsWithoutAnOwner() {
    AuditStreamer streamer = start(builder().clock(new TickingClock()));
    Destination siem = create(streamer, ALICE, "acme", "siem");
    Destination archive = create(streamer, ALICE, "acme", "archive");
    Destination lake = streamer.destinations().create(BOB, "globex", DestinationDraft.builder(
        TestConfig.of(SwitchableSinks.KIND, "globex/lake")).name("lake").active(false).build());
    Destination feed = create(streamer, BOB, "globex", "feed");
    streamer.destinations().pause(ALICE, archive.id(), "archive migrates");
    stream(streamer, 3);
    streamer.stream(event("globex/team"));
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(eventually(() -> streamer.destinations().status(ALICE, archive.id()).pending() == 3)).isTrue();

    List<DestinationHealthView> health = streamer.health();

    assertThat(health).extracting(DestinationHealthView::destinationId)
        .containsExactly(siem.id(), archive.id(), lake.id(), feed.id());
    assertThat(health).extracting(DestinationHealthView::groupPath).containsExactly("acme", "acme", "globex", "globex");
    assertThat(health).extracting(DestinationHealthView::name).containsExactly("siem", "archive", "lake", "feed");
    assertThat(health).extracting(DestinationHealthView::kind).containsOnly(SwitchableSinks.KIND);
    assertThat(health).extracting(DestinationHealthView::active).containsExactly(true, true, false, true);
    assertThat(health).extracting(h -> h.pausedReason().orElse("-"))
        .containsExactly("-", "archive migrates", "-", "-");
    assertThat(health).extracting(h -> h.status().delivered()).containsExactly(3L, 0L, 0L, 1L);
    assertThat(health).extracting(h -> h.status().pending()).containsExactly(0L, 3L, 0L, 0L);
    assertThat(health.get(1).paused()).isTrue();
    assertThat(health.get(0).status()).isEqualTo(streamer.destinations().status(ALICE, siem.id()));
  }

  @Test
  void pauseResumeAndHealthThrowOnceTheStreamerIsClosed() {
    AuditStreamer streamer = start(builder());
    Destination d = create(streamer, ALICE, "acme", "siem");

    streamer.close();

    assertThatThrownBy(() -> streamer.destinations().pause(ALICE, d.id(), "x"))
        .isInstanceOf(IllegalStateException.class).hasMessage("audit streamer is closed");
    assertThatThrownBy(() -> streamer.destinations().resume(ALICE, d.id()))
        .isInstanceOf(IllegalStateException.class).hasMessage("audit streamer is closed");
    assertThatThrownBy(streamer::health).isInstanceOf(IllegalStateException.class)
        .hasMessage("audit streamer is closed");
  }

  @Test
  void pauseAndResumeSurviveARestartWithTheFileStore() {
    Path file = dir.resolve("destinations.json");
    DestinationKinds kinds = DestinationKinds.discover().with(List.of(new TestKind(SwitchableSinks.KIND)));
    AuditStreamer first = start(builder().destinationStore(FileDestinationStore.open(file, kinds)));
    Destination d = create(first, ALICE, "acme", "siem");
    first.destinations().pause(ALICE, d.id(), "receiver under maintenance");
    first.close();

    AuditStreamer second = start(builder().destinationStore(FileDestinationStore.open(file, kinds)));
    assertThat(second.destinations().get(ALICE, d.id()).pausedReason()).contains("receiver under maintenance");
    List<AuditEvent> events = stream(second, 3);
    assertThat(eventually(() -> second.destinations().status(ALICE, d.id()).pending() == 3)).isTrue();
    assertThat(sinks.delivered(d.id())).isEmpty();
    second.destinations().resume(ALICE, d.id());
    assertThat(second.flush(WAIT)).isTrue();
    assertThat(sinks.delivered(d.id())).containsExactlyElementsOf(ids(events));
    second.close();

    AuditStreamer third = start(builder().destinationStore(FileDestinationStore.open(file, kinds)));
    assertThat(third.destinations().get(ALICE, d.id()).paused()).isFalse();
  }

  /** A clock one millisecond further on each time it is read, so that destinations are created in order. */
  private static final class TickingClock extends Clock {
    private final Instant start = Instant.parse("2026-12-01T00:00:00Z");
    private final AtomicLong millis = new AtomicLong();

    @Override
    public Instant instant() {
      return start.plusMillis(millis.incrementAndGet());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** Sinks of kind {@code switchable} that record what they deliver, and fail for now while told to. */
  static final class SwitchableSinks implements SinkProvider {
    static final String KIND = "switchable";
    private final Map<DestinationId, List<String>> delivered = new ConcurrentHashMap<>();
    private final Map<DestinationId, List<Instant>> attempts = new ConcurrentHashMap<>();
    volatile boolean failing;

    @Override
    public io.auditstream.api.destination.DestinationKind<?> destinationKind() {
      return new TestKind(KIND);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      DestinationId id = destination.id();
      return batch -> {
        attempts.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        if (failing) {
          throw DeliveryException.retryable("HTTP 503");
        }
        List<String> out = delivered.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        for (EncodedEvent e : batch) {
          out.add(e.event().id());
        }
      };
    }

    List<String> delivered(DestinationId id) {
      return delivered.getOrDefault(id, List.of());
    }

    int attempts(DestinationId id) {
      return attempts.getOrDefault(id, List.of()).size();
    }

    Instant firstAttemptAt(DestinationId id) {
      return attempts.get(id).get(0);
    }
  }
}
