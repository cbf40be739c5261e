package io.auditstream.examples.customsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.ConflictException;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON lines file destinations managed and delivered through the engine, with a provider the host
 * made with its root folder; each group writes under {@code <root>/<group>}.
 */
class JsonLinesFileDestinationTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final AccessPolicy ALICE_OWNS_EVERY_GROUP = (actor, group) -> actor.equals(ALICE);
  private static final String KEY = "signing-key-0123456789abcdef";
  private static final String NEW_KEY = "another-signing-key-fedcba9876543210";

  @TempDir
  Path root;

  private final List<AuditStreamer> streamers = new ArrayList<>();

  @AfterEach
  void closeStreamers() {
    streamers.forEach(AuditStreamer::close);
  }

  private AuditStreamer streamer() {
    return track(AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP)
        .addSinkProvider(new JsonLinesFileSinkProvider(root)).build());
  }

  private AuditStreamer track(AuditStreamer streamer) {
    streamers.add(streamer);
    return streamer;
  }

  private static Destination create(AuditStreamer streamer, String group, String name, JsonLinesFileConfig.Builder config) {
    return streamer.destinations().create(ALICE, group, DestinationDraft.builder(config).name(name).build());
  }

  private static JsonLinesFileConfig.Builder config(Path file, String key) {
    return JsonLinesFileConfig.builder().path(file).signingKey(key);
  }

  private static JsonLinesFileConfig.Builder config(String file, String key) {
    return JsonLinesFileConfig.builder().path(file).signingKey(key);
  }

  private static AuditEvent event(String type, String projectPath) {
    return AuditEvent.builder().eventType(type).entity(EntityType.PROJECT, 7L, projectPath).build();
  }

  private static void streamAndFlush(AuditStreamer streamer, AuditEvent... events) {
    for (AuditEvent e : events) {
      assertThat(streamer.stream(e)).isTrue();
    }
    assertThat(streamer.flush(Duration.ofSeconds(20))).isTrue();
  }

  @Test
  void createsADestinationThatAppendsOneSignedJsonLinePerEventWithTheEventVerbatim() {
    Path file = root.resolve("acme").resolve("audit.jsonl");
    AuditStreamer streamer = streamer();

    // Relative to the group's folder, which the first write makes.
    Destination d = create(streamer, "acme", "audit-file", config("audit.jsonl", KEY));
    // More than one batch of the sink.
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < JsonLinesFileSink.MAX_BATCH_SIZE + 50; i++) {
      events.add(event(i % 2 == 0 ? "project_created" : "member_created", "acme/api"));
    }
    streamAndFlush(streamer, events.toArray(AuditEvent[]::new));

    assertThat(d.kind()).isEqualTo("jsonl-file");
    assertThat(d.available()).isTrue();
    List<SignedLine> lines = SignedLine.readAll(file);
    assertThat(lines).hasSize(events.size()).allMatch(line -> line.signedWith(KEY));
    assertThat(lines).extracting(SignedLine::eventId).containsExactlyElementsOf(events.stream().map(AuditEvent::id).toList());
    assertThat(lines.get(1).event().get("event_type").asText()).isEqualTo("member_created");
    assertThat(lines.get(0).event().get("entity_path").asText()).isEqualTo("acme/api");
    DestinationStatus status = streamer.destinations().status(ALICE, d.id());
    assertThat(status.delivered()).isEqualTo(events.size());
  }

  @Test
  void refusesASecondDestinationWritingToTheSamePathInTheGroupNamingThePath() {
    AuditStreamer streamer = streamer();
    Destination first = create(streamer, "acme", "first", config("audit.jsonl", KEY));

    assertThatThrownBy(() -> create(streamer, "acme", "second", config("audit.jsonl", NEW_KEY)))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("path"))
        .hasMessageContaining("path must be unique in group 'acme'")
        .hasMessageContaining("destination " + first.id() + " already writes to it")
        .hasMessageNotContaining(NEW_KEY);
    // Another spelling of the same file is the same file.
    assertThatThrownBy(() -> create(streamer, "acme", "third", config("./audit.jsonl", KEY)))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("path"));
    assertThat(streamer.destinations().list(ALICE, "acme")).extracting(Destination::name).containsExactly("first");
  }

  @Test
  void theSamePathInAnotherGroupIsAnotherFileInThatGroupsOwnFolder() {
    AuditStreamer streamer = streamer();
    create(streamer, "acme", "audit-file", config("audit.jsonl", KEY));
    Destination other = create(streamer, "globex", "audit-file", config("audit.jsonl", NEW_KEY));

    streamAndFlush(streamer, event("project_created", "acme/api"), event("project_created", "globex/web"));

    assertThat(streamer.destinations().list(ALICE, "globex")).extracting(Destination::id).containsExactly(other.id());
    assertThat(SignedLine.readAll(root.resolve("acme/audit.jsonl"))).singleElement()
        .satisfies(line -> assertThat(line.signedWith(KEY)).isTrue())
        .satisfies(line -> assertThat(line.event().get("entity_path").asText()).isEqualTo("acme/api"));
    assertThat(SignedLine.readAll(root.resolve("globex/audit.jsonl"))).singleElement()
        .satisfies(line -> assertThat(line.signedWith(NEW_KEY)).isTrue())
        .satisfies(line -> assertThat(line.event().get("entity_path").asText()).isEqualTo("globex/web"));
  }

  @Test
  void listsTheSigningKeyAsSetButRedactedAndNeverShowsItInToString() {
    AuditStreamer streamer = streamer();
    Destination created = create(streamer, "acme", "audit-file", config("audit.jsonl", KEY));

    List<Destination> listed = streamer.destinations().list(ALICE, "acme");
    Destination got = streamer.destinations().get(ALICE, created.id());

    assertThat(listed).hasSize(1);
    for (Destination d : List.of(listed.get(0), got)) {
      assertThat(d.config()).isInstanceOfSatisfying(JsonLinesFileConfig.class, c -> {
        assertThat(c.path()).isEqualTo("audit.jsonl");
        assertThat(c.signingKey().isSet()).isTrue();
        assertThat(c.signingKey().isRedacted()).isTrue();
        assertThat(c.signingKey().value()).isEmpty();
      });
    }
    assertThat(List.of(listed.get(0).toString(), got.toString(), created.toString(), created.config().toString()))
        .allSatisfy(s -> assertThat(s).doesNotContain(KEY).contains("signingKey=set"));
  }

  @Test
  void anUpdateWithTheListedConfigMovedAndRenamedKeepsTheKeyAndStillSignsWithIt() throws Exception {
    // Absolute paths inside the group's folder are accepted too.
    Path before = Files.createDirectories(root.resolve("acme")).resolve("before.jsonl");
    Path after = root.resolve("acme").resolve("after.jsonl");
    AuditStreamer streamer = streamer();
    Destination d = create(streamer, "acme", "audit-file", config(before, KEY));
    JsonLinesFileConfig listed = (JsonLinesFileConfig) streamer.destinations().get(ALICE, d.id()).config();

    Destination updated = streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder()
        .name("audit-file-moved").config(listed.toBuilder().path(after)).build());
    AuditEvent event = event("project_created", "acme/api");
    streamAndFlush(streamer, event);

    assertThat(updated.name()).isEqualTo("audit-file-moved");
    assertThat(streamer.destinations().get(ALICE, d.id()).config())
        .isEqualTo(JsonLinesFileConfig.builder().path(after).signingKey(listed.signingKey()).build());
    List<SignedLine> lines = SignedLine.readAll(after);
    assertThat(lines).singleElement().satisfies(line -> {
      assertThat(line.eventId()).isEqualTo(event.id());
      assertThat(line.signedWith(KEY)).isTrue();
    });
    assertThat(before).doesNotExist();
  }

  @Test
  void anUpdateWithANewKeyReplacesTheKey() {
    Path file = root.resolve("acme/audit.jsonl");
    AuditStreamer streamer = streamer();
    Destination d = create(streamer, "acme", "audit-file", config("audit.jsonl", KEY));
    streamAndFlush(streamer, event("project_created", "acme/api"));

    streamer.destinations().updateConfig(ALICE, d.id(), JsonLinesFileConfig.class,
        c -> c.toBuilder().signingKey(NEW_KEY).build());
    streamAndFlush(streamer, event("member_created", "acme/api"));

    List<SignedLine> lines = SignedLine.readAll(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).signedWith(KEY)).isTrue();
    assertThat(lines.get(1).signedWith(NEW_KEY)).isTrue();
    assertThat(lines.get(1).signedWith(KEY)).isFalse();
  }

  @Test
  void refusesAMissingKeyAndAPathInAMissingFolderTogetherNamingBoth() {
    AuditStreamer streamer = streamer();

    assertThatThrownBy(() -> create(streamer, "acme", "audit-file",
        JsonLinesFileConfig.builder().path("no-such-folder/audit.jsonl")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactlyInAnyOrder("signingKey", "path"))
        .hasMessageContaining("signingKey is required")
        .hasMessageContaining("path must be in an existing folder");
    assertThat(streamer.destinations().list(ALICE, "acme")).isEmpty();
  }

  @Test
  void refusesAPathThatNamesAFolder() throws Exception {
    Files.createDirectories(root.resolve("acme/logs"));
    AuditStreamer streamer = streamer();

    assertThatThrownBy(() -> create(streamer, "acme", "audit-file", config("logs", KEY)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("path"))
        .hasMessageContaining("path must name a file, not a folder");
  }

  @Test
  void refusesAPathWithANameLongerThan255BytesWhichNoFileCouldHave() {
    AuditStreamer streamer = streamer();
    // 128 two-byte characters: 128 characters, but 256 bytes once encoded.
    String name = "\u00e9".repeat(128);

    assertThatThrownBy(() -> create(streamer, "acme", "audit-file", config(name, KEY)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("path"))
        .hasMessageContaining("path must not hold a file or folder name longer than 255 bytes in UTF-8 (was 256)");
    assertThatThrownBy(() -> create(streamer, "acme", "audit-file", config("x".repeat(256) + "/audit.jsonl", KEY)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("path"));
    assertThat(streamer.destinations().list(ALICE, "acme")).isEmpty();

    Destination longest = create(streamer, "acme", "audit-file", config("x".repeat(249) + ".jsonl", KEY));
    streamAndFlush(streamer, event("project_created", "acme/api"));
    assertThat(root.resolve("acme").resolve(((JsonLinesFileConfig) longest.config()).path())).isNotEmptyFile();
  }

  @Test
  void refusesAClimbingPathAndAShortKeyTogetherWithoutEchoingTheKey() {
    AuditStreamer streamer = streamer();

    assertThatThrownBy(() -> streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(
            JsonLinesFileConfig.builder().path("../globex/audit.jsonl").signingKey("too-short-key")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactlyInAnyOrder("path", "signingKey"))
        .hasMessageContaining("path must not contain '..' segments")
        .hasMessageContaining("signingKey must be 16 to 256 visible ASCII characters without spaces (was 13 characters)")
        .hasMessageNotContaining("too-short-key");
    assertThat(streamer.destinations().list(ALICE, "acme")).isEmpty();
  }

  @Test
  void retriesAnEventWhoseFileCannotBeWrittenUntilItsFolderIsBack() throws Exception {
    Path folder = Files.createDirectories(root.resolve("acme/logs"));
    Path file = folder.resolve("audit.jsonl");
    AuditStreamer streamer = track(AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP)
        .addSinkProvider(new JsonLinesFileSinkProvider(root))
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
            Duration.ofMillis(50)).build())
        .build());
    Destination d = create(streamer, "acme", "audit-file", config(file, KEY));
    Files.delete(folder);

    AuditEvent event = event("project_created", "acme/api");
    assertThat(streamer.stream(event)).isTrue();
    DestinationStatus failing = awaitStatus(streamer, d, s -> s.consecutiveFailures() > 0);
    Files.createDirectory(folder);

    assertThat(streamer.flush(Duration.ofSeconds(20))).isTrue();
    assertThat(failing.lastError()).hasValueSatisfying(e -> assertThat(e).contains("could not append to " + file));
    assertThat(failing.failed()).isZero();
    assertThat(SignedLine.readAll(file)).singleElement()
        .satisfies(line -> assertThat(line.eventId()).isEqualTo(event.id()));
    assertThat(streamer.destinations().status(ALICE, d.id()).delivered()).isEqualTo(1);
  }

  private static DestinationStatus awaitStatus(AuditStreamer streamer, Destination d,
      java.util.function.Predicate<DestinationStatus> condition) {
    return io.auditstream.testing.Await.untilValue(Duration.ofSeconds(20),
        () -> streamer.destinations().status(ALICE, d.id()), condition, "the status of " + d.name());
  }
}
