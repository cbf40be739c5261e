package io.auditstream.examples.customsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.store.FileDestinationStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored JSON lines file destination outlives the module that provides it: a host that drops the
 * module keeps the destination as it was, and gets it back intact, key included, when the module
 * returns.
 */
class JsonLinesFileStoredFormTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final AccessPolicy ALICE_OWNS_EVERY_GROUP = (actor, group) -> actor.equals(ALICE);
  private static final String KEY = "signing-key-0123456789abcdef";

  @Test
  void staysStoredIntactWhileTheModuleIsMissingAndDeliversAgainWhenItReturns(@TempDir Path dir) {
    Path storeFile = dir.resolve("destinations.json");
    Path events = dir.resolve("acme").resolve("audit.jsonl");
    Destination created;
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP)
        .addSinkProvider(new JsonLinesFileSinkProvider(dir))
        .destinationStore(FileDestinationStore.open(storeFile)).build()) {
      created = streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(
          JsonLinesFileConfig.builder().path("audit.jsonl").signingKey(KEY)).name("audit-file").build());
    }

    // The platform class loader sees no plug-in: neither this module's kind nor its sink.
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    try (AuditStreamer without = AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP)
        .destinationStore(FileDestinationStore.open(storeFile, DestinationKinds.discover(platform)))
        .classLoader(platform)
        .sinkProviders(List.of())
        .build()) {
      List<Destination> listed = without.destinations().list(ALICE, "acme");
      assertThat(listed).singleElement().satisfies(d -> {
        assertThat(d.id()).isEqualTo(created.id());
        assertThat(d.kind()).isEqualTo("jsonl-file");
        assertThat(d.available()).isFalse();
        assertThat(d.config()).isInstanceOfSatisfying(UnavailableDestinationConfig.class, c -> {
          assertThat(c.artifact()).contains(JsonLinesFileKind.ARTIFACT);
          assertThat(c.missingMessage()).contains("add " + JsonLinesFileKind.ARTIFACT);
          // The missing kind cannot say which secrets Owners may read: a listing carries none.
          assertThat(c.stored().secrets()).isEmpty();
          assertThat(c.redactedSecrets()).containsExactly("signingKey");
        });
        assertThat(d.toString()).doesNotContain(KEY);
      });

      Destination renamed = without.destinations().update(ALICE, created.id(),
          DestinationUpdate.builder().name("audit-file-renamed").build());
      assertThat(renamed.name()).isEqualTo("audit-file-renamed");

      assertThatThrownBy(() -> without.destinations().create(ALICE, "acme", DestinationDraft.builder(
              JsonLinesFileConfig.builder().path("other.jsonl").signingKey(KEY)).build()))
          .isInstanceOfSatisfying(MissingSinkException.class, e -> assertThat(e.kind()).isEqualTo("jsonl-file"))
          .hasMessageContaining(JsonLinesFileKind.ARTIFACT);
    }

    AuditEvent event = AuditEvent.builder().eventType("project_created")
        .entity(EntityType.PROJECT, 7L, "acme/api").build();
    FileDestinationStore reopened = FileDestinationStore.open(storeFile);
    assertThat(reopened.find(created.id())).hasValueSatisfying(d -> {
      assertThat(d.name()).isEqualTo("audit-file-renamed");
      assertThat(d.config()).isEqualTo(created.config());
      assertThat(((JsonLinesFileConfig) d.config()).signingKey().isPresent()).isTrue();
    });
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP)
        .addSinkProvider(new JsonLinesFileSinkProvider(dir))
        .destinationStore(reopened).build()) {
      assertThat(streamer.destinations().get(ALICE, created.id()).available()).isTrue();
      assertThat(streamer.stream(event)).isTrue();
      assertThat(streamer.flush(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(SignedLine.readAll(events)).singleElement().satisfies(line -> {
      assertThat(line.eventId()).isEqualTo(event.id());
      assertThat(line.signedWith(KEY)).isTrue();
    });
  }
}
