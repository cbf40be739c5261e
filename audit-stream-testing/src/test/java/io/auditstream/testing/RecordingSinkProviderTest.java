package io.auditstream.testing;

import static io.auditstream.testing.AuditStreamAssertions.assertThat;
import static io.auditstream.testing.AuditStreamAssertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingSinkProviderTest {
  private static final Actor ALICE = Actor.of("alice");
  private final RecordingSinkProvider sink = RecordingSinkProvider.create();
  private final TestAccessPolicy owners = TestAccessPolicy.owners().grant("alice", "acme");

  private AuditStreamer streamer() {
    return AuditStreamer.builder()
        .accessPolicy(owners)
        .addSinkProvider(sink)
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4),
            Duration.ofMillis(5)).build())
        .build();
  }

  private static AuditEvent event(String type, EntityType entityType, String path) {
    return AuditEvent.builder().eventType(type).entity(entityType, 1L, path).build();
  }

  @Test
  void recordsWhatTheEngineDeliversPerDestination() {
    try (AuditStreamer streamer = streamer()) {
      Destination all = streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("all").build());
      Destination projects = streamer.destinations().create(ALICE, "acme",
          TestDestinations.draft().name("projects-only").eventTypeFilter(List.of("project_created")).build());
      AuditEvent created = event("project_created", EntityType.PROJECT, "acme/sub/api");
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      streamer.stream(created);
      streamer.stream(event("group_created", EntityType.GROUP, "other"));

      assertThat(streamer.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(sink).receivedCount(3).receivedEventWithId(created.id()).receivedNoEventOfType("no_such_type");
      assertThat(sink).forDestination(all.id()).receivedTypesInOrder("group_created", "project_created");
      assertThat(sink).forDestination(projects.id()).receivedCount(1).receivedEventOfType("project_created");
      assertThat(sink.received(projects.id()).get(0).json()).contains("\"entity_path\":\"acme/sub/api\"");
    }
  }

  @Test
  void injectedRetryableFailuresAreRetriedWithTheSameEvent() throws Exception {
    try (AuditStreamer streamer = streamer()) {
      streamer.destinations().create(ALICE, "acme", TestDestinations.draft().build());
      sink.failNextAttempts(2, true);
      AuditEvent event = event("member_created", EntityType.GROUP, "acme");
      streamer.stream(event);

      assertThat(sink.awaitReceived(1, Duration.ofSeconds(10))).isTrue();
      assertThat(sink.received()).singleElement().satisfies(r -> {
        assertThat(r.event()).isEqualTo(event);
        assertThat(r.attempt()).isEqualTo(3);
      });
    }
  }

  @Test
  void injectedPermanentFailureDropsTheEvent() {
    try (AuditStreamer streamer = streamer()) {
      Destination d = streamer.destinations().create(ALICE, "acme", TestDestinations.draft().build());
      sink.failNextAttempts(1, false);
      streamer.stream(event("member_created", EntityType.GROUP, "acme"));

      assertThat(streamer.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(sink).receivedNothing();
      assertThat(streamer.destinations().status(ALICE, d.id()).failed()).isEqualTo(1);
    }
  }

  @Test
  void assertionsFailWithWhatWasReceived() {
    try (AuditStreamer streamer = streamer()) {
      Destination siem = streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("siem").build());
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      assertThat(streamer.flush(Duration.ofSeconds(10))).isTrue();

      assertThatThrownBy(() -> assertThat(sink).receivedEventOfType("user_created"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("user_created")
          .hasMessageContaining("group_created");
      assertThatThrownBy(() -> assertThat(sink).receivedNothing()).isInstanceOf(AssertionError.class);
      assertThatThrownBy(() -> assertThat(sink).receivedNoEventOfType("group_created"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("but destination \"siem\" (id " + siem.id() + ") did");
    }
  }

  @Test
  void assertionsOnOneDestinationNameItByNameAndId() {
    try (AuditStreamer streamer = streamer()) {
      Destination siem = streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("siem").build());
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      assertThat(streamer.flush(Duration.ofSeconds(10))).isTrue();
      String named = "destination \"siem\" (id " + siem.id() + ")";

      assertThatThrownBy(() -> assertThat(sink).forDestination(siem.id()).receivedCount(2))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected " + named + " to have received 2 events but received 1");
      assertThatThrownBy(() -> assertThat(sink).forDestination(siem).receivedEventOfType("user_created"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expected " + named + " to have received an event of type <user_created>");
    }
  }

  @Test
  void aDestinationThisProviderNeverServedIsNamedByItsIdAlone() {
    io.auditstream.api.destination.DestinationId unknown = io.auditstream.api.destination.DestinationId.of("elsewhere");

    assertThatThrownBy(() -> assertThat(sink).forDestination(unknown).receivedEventOfType("user_created"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected destination (id elsewhere) to have received an event of type <user_created>");
  }

  @Test
  void eachProviderRecordsOnlyWhatItsOwnStreamerDelivered() throws Exception {
    RecordingSinkProvider other = RecordingSinkProvider.create();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try (AuditStreamer mine = streamer();
        AuditStreamer theirs = AuditStreamer.builder().accessPolicy(owners).addSinkProvider(other).build()) {
      Destination d1 = mine.destinations().create(ALICE, "acme", TestDestinations.draft().build());
      Destination d2 = theirs.destinations().create(ALICE, "acme", TestDestinations.draft().build());
      var a = pool.submit(() -> {
        for (int i = 0; i < 50; i++) {
          mine.stream(event("mine_" + i, EntityType.GROUP, "acme"));
        }
      });
      var b = pool.submit(() -> {
        for (int i = 0; i < 50; i++) {
          theirs.stream(event("theirs_" + i, EntityType.GROUP, "acme"));
        }
      });
      a.get(10, java.util.concurrent.TimeUnit.SECONDS);
      b.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(mine.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(theirs.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(sink.received()).hasSize(50).allSatisfy(e -> {
        org.assertj.core.api.Assertions.assertThat(e.destinationId()).isEqualTo(d1.id());
        org.assertj.core.api.Assertions.assertThat(e.event().eventType()).startsWith("mine_");
      });
      assertThat(other.received()).hasSize(50).allSatisfy(e ->
          org.assertj.core.api.Assertions.assertThat(e.destinationId()).isEqualTo(d2.id()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutItsProviderTheTestKindIsRefusedNamingTheArtifact() {
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy(owners).build()) {
      assertThatThrownBy(() -> streamer.destinations().create(ALICE, "acme", TestDestinations.draft().build()))
          .isInstanceOf(io.auditstream.api.MissingSinkException.class)
          .hasMessageContaining("io.auditstream:audit-stream-testing");
    }
  }

  @Test
  void destinationsInAFileStoreSurviveARestartOfTheStreamer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path file = dir.resolve("destinations.json");
    Destination created;
    String token;
    try (AuditStreamer first = AuditStreamer.builder().accessPolicy(owners).addSinkProvider(sink)
        .destinationStore(io.auditstream.core.store.FileDestinationStore.open(file)).build()) {
      created = first.destinations().create(ALICE, "acme",
          TestDestinations.draft().name("kept").eventTypeFilter(List.of("project_created")).build());
      token = first.destinations().verificationToken(ALICE, created.id()).reveal();
    }

    try (AuditStreamer second = AuditStreamer.builder().accessPolicy(owners).addSinkProvider(sink)
        .destinationStore(io.auditstream.core.store.FileDestinationStore.open(file)).build()) {
      assertThat(second.destinations().list(ALICE, "acme")).singleElement().satisfies(d -> {
        assertThat(d.id()).isEqualTo(created.id());
        assertThat(d.eventTypeFilter()).containsExactly("project_created");
      });
      assertThat(second.destinations().verificationToken(ALICE, created.id()).reveal()).isEqualTo(token);
      second.stream(event("project_created", EntityType.PROJECT, "acme/api"));
      second.stream(event("group_created", EntityType.GROUP, "acme"));
      assertThat(second.flush(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(sink).forDestination(created.id()).receivedTypesInOrder("project_created");
  }

  @Test
  void recordingStoreRecordsChangesAndAFailedSaveLeavesNothingBehind() {
    RecordingDestinationStore store = new RecordingDestinationStore();
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy(owners).addSinkProvider(sink)
        .destinationStore(store).build()) {
      Destination kept = streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("kept").build());
      store.failNextWrites(1);
      assertThatThrownBy(() -> streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("lost").build()))
          .isInstanceOf(io.auditstream.api.AuditStreamException.class)
          .hasMessageContaining("injected failure");
      streamer.destinations().delete(ALICE, kept.id());

      assertThat(store.changes()).extracting(RecordingDestinationStore.Change::operation, RecordingDestinationStore.Change::succeeded)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(RecordingDestinationStore.Operation.SAVE, true),
              org.assertj.core.groups.Tuple.tuple(RecordingDestinationStore.Operation.SAVE, false),
              org.assertj.core.groups.Tuple.tuple(RecordingDestinationStore.Operation.DELETE, true));
      assertThat(streamer.destinations().list(ALICE, "acme")).isEmpty();
      assertThat(streamer.destinations().streamingEnabled("acme")).isFalse();
    }
  }

  @Test
  void testAccessPolicyGrantsAndRevokes() {
    assertThat(owners.isOwner(ALICE, "acme")).isTrue();
    assertThat(owners.isOwner(ALICE, "other")).isFalse();
    owners.revoke("alice", "acme");
    assertThat(owners.isOwner(ALICE, "acme")).isFalse();
  }

  @Test
  void testClockMovesOnlyWhenTold() {
    TestClock clock = TestClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
  }
}
