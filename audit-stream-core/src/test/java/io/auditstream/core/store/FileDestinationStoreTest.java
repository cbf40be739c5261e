package io.auditstream.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationStoreTest {
  @TempDir Path dir;

  /** The built-in kinds and the plug-in kind of {@link #custom}, as a host that ships that plug-in has them. */
  private static final DestinationKinds KINDS = DestinationKinds.discover().with(List.of(new TestKind("webhook-x")));

  private Path file() {
    return dir.resolve("state").resolve("destinations.json");
  }

  private static Destination http(String id, String group) {
    return Destination.builder()
        .id(DestinationId.of(id))
        .groupPath(group)
        .name("SIEM " + id)
        .active(false)
        .verificationToken(Secret.of("token-abcdefgh-" + id))
        .config(HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/" + id)
            .contentType("application/json")
            .header("Authorization", "Bearer header-secret")
            .header(new HttpHeader("X-Off", "off", false))
            .batching(new HttpBatching(250, 512 * 1024, Duration.ofMillis(5)))
            .build())
        .eventTypeFilter(List.of("user_created", "project_deleted"))
        .namespaceFilter(List.of(Namespace.group(group + "/sub"), Namespace.project(group + "/sub/app")))
        .createdAt(Instant.parse("2026-01-02T03:04:05.123456789Z"))
        .updatedAt(Instant.parse("2026-02-03T04:05:06.789Z"))
        .build();
  }

  private static Destination custom(String id) {
    return Destination.builder()
        .id(DestinationId.of(id))
        .groupPath("acme")
        .name("Plug-in")
        .verificationToken(Secret.of("another-token-123"))
        .config(TestConfig.withKey("webhook-x", "q1", "plugin-secret-value"))
        .createdAt(Instant.parse("2026-03-01T00:00:00Z"))
        .build();
  }

  @Test
  void roundTripsEveryFieldAcrossReopen() {
    Destination a = http("a", "acme");
    Destination b = custom("b");
    try (FileDestinationStore store = FileDestinationStore.open(file(), KINDS)) {
      store.save(a);
      store.save(b);
    }

    try (FileDestinationStore reopened = FileDestinationStore.open(file(), KINDS)) {
      assertThat(reopened.find(a.id())).hasValueSatisfying(d -> {
        assertThat(d).isEqualTo(a);
        assertThat(d.verificationToken().orElseThrow().reveal()).isEqualTo("token-abcdefgh-a");
        assertThat(((HttpDestinationConfig) d.config()).headers()).containsExactly(
            HttpHeader.of("Authorization", "Bearer header-secret"), new HttpHeader("X-Off", "off", false));
        assertThat(((HttpDestinationConfig) d.config()).batching())
            .contains(new HttpBatching(250, 512 * 1024, Duration.ofMillis(5)));
      });
      assertThat(reopened.find(b.id())).hasValueSatisfying(d -> {
        assertThat(d).isEqualTo(b);
        assertThat(((TestConfig) d.config()).apiKey().get().reveal()).isEqualTo("plugin-secret-value");
      });
      assertThat(reopened.findAll()).containsExactly(a, b);
      assertThat(reopened.findByGroup("acme")).containsExactly(a, b);
    }
  }

  @Test
  void refusesToSaveARedactedCopyWhichHasNoToken() {
    Destination listed = http("a", "acme").redacted();
    FileDestinationStore file = FileDestinationStore.open(file());
    InMemoryDestinationStore memory = new InMemoryDestinationStore();

    for (io.auditstream.api.spi.DestinationStore store : List.of(file, memory)) {
      assertThatThrownBy(() -> store.save(listed)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("redacted");
      assertThat(store.findAll()).isEmpty();
    }
  }

  @Test
  void replacesAndDeletesDurably() {
    FileDestinationStore store = FileDestinationStore.open(file());
    Destination a = http("a", "acme");
    Destination other = http("c", "globex");
    store.save(a);
    store.save(other);
    Destination renamed = a.toBuilder().name("Renamed").build();
    store.save(renamed);
    assertThat(store.delete(other.id())).isTrue();
    assertThat(store.delete(other.id())).isFalse();

    FileDestinationStore reopened = FileDestinationStore.open(file());
    assertThat(reopened.findAll()).containsExactly(renamed);
    assertThat(reopened.findByGroup("globex")).isEmpty();
  }

  @Test
  void createsEmptyFileOnOpenWithFormatVersion() throws IOException {
    FileDestinationStore.open(file());

    assertThat(Files.readString(file())).contains("\"formatVersion\" : 3").contains("\"destinations\" : [ ]");
  }

  @Test
  void writesAtomicallyLeavingNoTemporaryFile() throws IOException {
    FileDestinationStore store = FileDestinationStore.open(file());
    for (int i = 0; i < 5; i++) {
      store.save(http("d" + i, "acme"));
    }

    try (Stream<Path> files = Files.list(file().getParent())) {
      assertThat(files).containsExactlyInAnyOrder(file(), StoredSecrets.keyFile(file()));
    }
  }

  @Test
  void restrictsFileToItsOwnerWherePosixIsSupported() throws IOException {
    FileDestinationStore.open(file()).save(http("a", "acme"));

    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    } else {
      assertThat(Files.isReadable(file())).isTrue();
    }
  }

  @Test
  void reportsCorruptFileNamingItWithoutQuotingContent() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"formatVersion\": 2, \"destinations\": [ leaked-secret-text", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> FileDestinationStore.open(file()))
        .isInstanceOf(AuditStreamException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("leaked-secret-text");
  }

  @Test
  void reportsFileThatIsNotAStore() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "[1, 2, 3]");

    assertThatThrownBy(() -> FileDestinationStore.open(file()))
        .isInstanceOf(AuditStreamException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("not a destination store");
  }

  @Test
  void reportsInvalidDestinationNamingItsIndex() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"formatVersion\": 2, \"destinations\": [{\"id\": \"x\"}]}");

    assertThatThrownBy(() -> FileDestinationStore.open(file()))
        .isInstanceOf(AuditStreamException.class)
        .hasMessageContaining(file().toAbsolutePath().toString())
        .hasMessageContaining("destinations[0]");
  }

  @Test
  void refusesFileOfNewerFormatVersion() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"formatVersion\": 99, \"destinations\": []}");

    assertThatThrownBy(() -> FileDestinationStore.open(file()))
        .isInstanceOf(AuditStreamException.class).hasMessageContaining("format version 99");
  }

  @Test
  void readsFileOfThisVersionWithUnknownFieldsFromALaterWriter() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), """
        {"formatVersion": 2, "writtenBy": "later", "destinations": [{
          "id": "a", "groupPath": "acme", "name": "N", "active": true, "futureField": 1,
          "kind": "http", "artifact": "io.auditstream:sink-http",
          "config": {"destinationUrl": "https://a.example.com", "contentType": "application/json", "headers": [],
                     "futureSetting": {"x": [1, 2.5, true, null]}},
          "secrets": {"verificationToken": "abcdefghijklmnop", "config": {}},
          "eventTypeFilter": [], "namespaceFilter": [],
          "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}]}
        """);

    assertThat(FileDestinationStore.open(file()).find(DestinationId.of("a")))
        .hasValueSatisfying(d -> assertThat(d.name()).isEqualTo("N"));
  }

  @Test
  void keepsThePausedReasonAcrossReopenAndWritesNoneForADestinationThatIsNotPaused() throws IOException {
    Destination paused = http("a", "acme").toBuilder().paused("paused automatically after failing for 1 day: HTTP 503")
        .build();
    Destination running = http("c", "acme").toBuilder().createdAt(Instant.parse("2026-03-01T00:00:00Z")).build();
    try (FileDestinationStore store = FileDestinationStore.open(file(), KINDS)) {
      store.save(paused);
      store.save(running);
    }

    assertThat(Files.readString(file())).containsOnlyOnce("\"pausedReason\" : \"paused automatically after failing");
    try (FileDestinationStore reopened = FileDestinationStore.open(file(), KINDS)) {
      assertThat(reopened.find(paused.id())).contains(paused);
      assertThat(reopened.find(paused.id()).orElseThrow().pausedReason())
          .contains("paused automatically after failing for 1 day: HTTP 503");
      assertThat(reopened.find(running.id())).hasValueSatisfying(d -> assertThat(d.pausedReason()).isEmpty());
      reopened.save(paused.toBuilder().resumed().build());
    }
    try (FileDestinationStore reopened = FileDestinationStore.open(file(), KINDS)) {
      assertThat(reopened.find(paused.id())).hasValueSatisfying(d -> assertThat(d.paused()).isFalse());
    }
    assertThat(Files.readString(file())).doesNotContain("pausedReason");
  }

  @Test
  void readsADestinationWrittenBeforePausingExistedAsNotPaused() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), """
        {"formatVersion": 2, "destinations": [{
          "id": "a", "groupPath": "acme", "name": "N", "active": true,
          "kind": "http", "artifact": "io.auditstream:sink-http",
          "config": {"destinationUrl": "https://a.example.com", "contentType": "application/json", "headers": []},
          "secrets": {"verificationToken": "abcdefghijklmnop", "config": {}},
          "eventTypeFilter": [], "namespaceFilter": [],
          "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}]}
        """);

    assertThat(FileDestinationStore.open(file()).find(DestinationId.of("a"))).hasValueSatisfying(d -> {
      assertThat(d.pausedReason()).isEmpty();
      assertThat(d.active()).isTrue();
      assertThat(((HttpDestinationConfig) d.config()).batching()).as("written before batching existed").isEmpty();
    });
  }

  @Test
  void refusesFileOfThePreReleaseFormatNamingTheVersion() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"formatVersion\": 1, \"destinations\": []}");

    assertThatThrownBy(() -> FileDestinationStore.open(file()))
        .isInstanceOf(AuditStreamException.class).hasMessageContaining("format version 1");
  }

  @Test
  void keepsSecretsApartFromSettingsInTheFile() throws IOException {
    FileDestinationStore.open(file(), KINDS).save(http("a", "acme"));

    String json = Files.readString(file());
    com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)
        .get("destinations").get(0);
    assertThat(d.get("config").toString()).doesNotContain("Bearer header-secret").doesNotContain("token-abcdefgh-a");
    assertThat(json).doesNotContain("Bearer header-secret").doesNotContain("token-abcdefgh-a");
    com.fasterxml.jackson.databind.JsonNode secrets = StoredSecrets.open(d, file());
    assertThat(secrets.get("config").get("headers[0].value").asText()).isEqualTo("Bearer header-secret");
    assertThat(secrets.get("verificationToken").asText()).isEqualTo("token-abcdefgh-a");
    assertThat(d.get("artifact").asText()).isEqualTo("io.auditstream:sink-http");
  }

  @Test
  void keepsTheSigningSecretsUnderSecretsAcrossReopenAndNoneForADestinationThatDoesNotSign() throws IOException {
    String current = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String previous = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB";
    Destination rotating = http("a", "acme").toBuilder()
        .signing(WebhookSigning.of(Secret.of(current), Secret.of(previous))).build();
    Destination unsigned = http("c", "acme").toBuilder().createdAt(Instant.parse("2026-03-01T00:00:00Z")).build();
    try (FileDestinationStore store = FileDestinationStore.open(file(), KINDS)) {
      store.save(rotating);
      store.save(unsigned);
    }

    com.fasterxml.jackson.databind.JsonNode all = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Files.readString(file())).get("destinations");
    com.fasterxml.jackson.databind.JsonNode first = StoredSecrets.open(all.get(0), file());
    assertThat(first.get("signing").get("current").asText()).isEqualTo(current);
    assertThat(first.get("signing").get("previous").asText()).isEqualTo(previous);
    assertThat(StoredSecrets.open(all.get(1), file()).has("signing")).isFalse();
    try (FileDestinationStore reopened = FileDestinationStore.open(file(), KINDS)) {
      assertThat(reopened.find(rotating.id())).contains(rotating);
      assertThat(reopened.find(unsigned.id())).hasValueSatisfying(d ->
          assertThat(d.signing()).isEqualTo(WebhookSigning.off()));
    }
  }

  @Test
  void keepsADestinationOfAnUnknownKindIntactAndWritesItBackUnchanged() throws IOException {
    Destination b = custom("b");
    FileDestinationStore.open(file(), KINDS).save(b);
    String before = Files.readString(file());

    // Reopened without the plug-in: the destination is kept as it was stored, and says what to add.
    FileDestinationStore without = FileDestinationStore.open(file(), DestinationKinds.discover());
    Destination kept = without.find(b.id()).orElseThrow();
    assertThat(kept.available()).isFalse();
    assertThat(kept.config()).isInstanceOfSatisfying(UnavailableDestinationConfig.class, u -> {
      assertThat(u.kindName()).isEqualTo("webhook-x");
      assertThat(u.missingMessage()).contains(TestKind.artifactOf("webhook-x"));
      assertThat(u.toString()).doesNotContain("plugin-secret-value");
    });
    without.save(kept.toBuilder().name("Renamed while unavailable").build());
    without.save(http("a", "acme"));

    // Back with the plug-in: nothing was lost or rewritten but the name.
    Destination back = FileDestinationStore.open(file(), KINDS).find(b.id()).orElseThrow();
    assertThat(back).isEqualTo(b.toBuilder().name("Renamed while unavailable").build());
    assertThat(before).doesNotContain("plugin-secret-value");
    assertThat(StoredSecrets.open(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(file()))
        .get("destinations").get(1), file()).get("config").get("apiKey").asText()).isEqualTo("plugin-secret-value");
  }

  @Test
  void keepsEveryConcurrentSave() throws Exception {
    FileDestinationStore store = FileDestinationStore.open(file());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = "c" + i;
        saves.add(pool.submit(() -> store.save(http(id, "acme"))));
      }
      for (java.util.concurrent.Future<?> s : saves) {
        s.get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    assertThat(store.findAll()).hasSize(20);
    assertThat(FileDestinationStore.open(file()).findAll()).hasSize(20);
  }

  @Test
  void keepsStateWhenWriteFails() throws IOException {
    FileDestinationStore store = FileDestinationStore.open(file());
    Destination a = http("a", "acme");
    store.save(a);
    // A folder in the file's place makes the atomic replace fail.
    Files.delete(file());
    Files.createDirectory(file());
    Files.writeString(file().resolve("keep"), "x");

    assertThatThrownBy(() -> store.save(http("b", "acme")))
        .isInstanceOf(AuditStreamException.class).hasMessageContaining(file().toString());
    assertThat(store.findAll()).containsExactly(a);
    try (Stream<Path> files = Files.list(file().getParent())) {
      assertThat(files).containsExactlyInAnyOrder(file(), StoredSecrets.keyFile(file()));
    }
  }
}
