package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.core.fixtures.Eventually;
import io.auditstream.core.fixtures.StandardError;
import io.auditstream.core.store.FileDestinationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations an earlier version stored under its looser rules, as an Owner and the operator meet them
 * after the upgrade: each is listed, can be renamed, paused, given a new config and deleted; one whose
 * config breaks a new rule receives nothing, its deliveries fail with a last error naming the rule and
 * become dead letters that are delivered once the config is fixed; the log says once which destination
 * breaks which rule.
 */
class StoredDestinationsUpgradeTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final RecordingHttp sinks = new RecordingHttp();

  private AuditStreamer streamer() throws Exception {
    Path file = dir.resolve("destinations.json");
    if (!Files.exists(file)) {
      Files.writeString(file, io.auditstream.core.store.FileDestinationStoreUpgradeTestFiles.earlierFile());
    }
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .destinationStore(FileDestinationStore.open(file, DestinationKinds.discover()))
        .sinkProviders(List.of(sinks))
        .closeTimeout(Duration.ofSeconds(1))
        .build();
  }

  private static AuditEvent event(String id) {
    return AuditEvent.builder().id(id).eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
  }

  @Test
  void listsEveryStoredDestinationAndWarnsOncePerRuleWithWhatToChange() throws Exception {
    String log = StandardError.capture(() -> {
      try (AuditStreamer streamer = streamer()) {
        List<Destination> listed = streamer.destinations().list(ALICE, "acme");
        assertThat(listed).extracting(d -> d.id().value())
            .containsExactlyInAnyOrder("name-nl", "reason-nl", "header-utf", "host-num", "ctype-utf");
        streamer.destinations().list(ALICE, "acme");
        streamer.destinations().get(ALICE, DestinationId.of("host-num"));
      }
    });

    assertThat(log.lines().filter(l -> l.contains("was stored by an earlier version"))).hasSize(5);
    assertThat(log).contains("Destination name-nl (SIEM\\nprod) of group acme was stored by an earlier version and"
            + " breaks a rule of this version: name must not contain line breaks")
        .contains("Destination reason-nl (Reason) of group acme was stored by an earlier version and breaks a rule"
            + " of this version: pausedReason must not contain line breaks")
        .contains("Destination header-utf (Header) of group acme was stored by an earlier version and breaks a rule"
            + " of this version: headers[0].value must contain only visible ASCII")
        .contains("write it as 127.0.0.1. An Owner should save a config that follows it")
        .contains("Destination ctype-utf (Ctype) of group acme was stored by an earlier version and breaks a rule of"
            + " this version: contentType must contain only visible ASCII")
        .doesNotContain("caf\u00e9").doesNotContain("Bearer");
    assertThat(log.lines()).noneMatch(l -> l.startsWith("prod"));
  }

  @Test
  void deliversToStoredNamesAsBeforeAndFailsAConfigThatBreaksARuleVisiblyUntilItIsReplaced() throws Exception {
    try (AuditStreamer streamer = streamer()) {
      DestinationService service = streamer.destinations();
      DestinationId header = DestinationId.of("header-utf");
      assertThat(service.status(ALICE, header).lastError()).as("before any delivery").hasValueSatisfying(e ->
          assertThat(e).contains("its stored config breaks rules of this version (headers[0].value must"));
      assertThat(service.status(ALICE, DestinationId.of("name-nl")).lastError()).isEmpty();
      assertThat(streamer.stream(event("e1"))).isTrue();
      assertThat(streamer.flush(WAIT)).isTrue();

      assertThat(sinks.delivered(DestinationId.of("name-nl"))).containsExactly("e1");
      assertThat(sinks.delivered(header)).isEmpty();
      assertThat(eventually(() -> service.status(ALICE, header).deadLetters() == 1)).isTrue();
      DestinationStatus status = service.status(ALICE, header);
      assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e)
          .contains("its stored config breaks rules of this version (headers[0].value must contain only visible ASCII")
          .contains("until an Owner saves a config that follows them").doesNotContain("caf\u00e9"));
      assertThat(service.deadLetters(ALICE, header, 10)).extracting(DeadLetter::eventId).containsExactly("e1");

      // Renamed and paused like any other; its kept config is not refused for what it is.
      service.update(ALICE, header, DestinationUpdate.builder().name("Header fixed soon").build());
      service.pause(ALICE, header, "fixing the header");
      service.resume(ALICE, header);
      assertThat(service.get(ALICE, header).config()).isInstanceOf(UnavailableDestinationConfig.class);

      // A replacement config is held to the new rules, and then delivers, dead letters included.
      assertThatThrownBy(() -> service.update(ALICE, header, DestinationUpdate.builder().config(
          HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/in")
              .header("Authorization", "Bearer caf\u00e9")).build()))
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("headers[0].value"));
      service.update(ALICE, header, DestinationUpdate.builder().config(HttpDestinationConfig.builder()
          .destinationUrl("https://siem.example.com/in").header("Authorization", "Bearer cafe")).build());
      assertThat(service.get(ALICE, header).config()).isInstanceOf(HttpDestinationConfig.class);
      assertThat(service.redeliver(ALICE, header, List.of("e1"))).isOne();
      assertThat(eventually(() -> sinks.delivered(header).contains("e1"))).isTrue();

      service.delete(ALICE, DestinationId.of("host-num"));
      assertThat(service.list(ALICE, "acme")).extracting(d -> d.id().value()).doesNotContain("host-num");
    }
    try (AuditStreamer reopened = streamer()) {
      Destination fixed = reopened.destinations().get(ALICE, DestinationId.of("header-utf"));
      assertThat(fixed.name()).isEqualTo("Header fixed soon");
      assertThat(fixed.config()).isInstanceOf(HttpDestinationConfig.class);
      assertThat(reopened.destinations().get(ALICE, DestinationId.of("ctype-utf")).config())
          .isInstanceOf(UnavailableDestinationConfig.class);
    }
  }

  private static boolean eventually(BooleanSupplier condition) {
    return Eventually.within(WAIT, condition);
  }


  /** The {@code http} kind, with a sink that records the ids of the events it is handed. */
  static final class RecordingHttp implements SinkProvider {
    private final Map<DestinationId, List<String>> delivered = new ConcurrentHashMap<>();

    @Override
    public DestinationKind<?> destinationKind() {
      return HttpDestinationConfig.DESTINATION_KIND;
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      List<String> ids = delivered.computeIfAbsent(destination.id(), id -> new CopyOnWriteArrayList<>());
      return batch -> batch.forEach(e -> ids.add(e.event().id()));
    }

    List<String> delivered(DestinationId id) {
      return delivered.getOrDefault(id, List.of());
    }
  }
}
