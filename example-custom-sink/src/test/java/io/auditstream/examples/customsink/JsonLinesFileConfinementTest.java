package io.auditstream.examples.customsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Owner chooses the file of a JSON lines file destination, so the provider keeps every file inside
 * the host's root, each group inside its own folder: no path, spelling or symbolic link reaches a file
 * of the host or of another group, when the destination is saved or later.
 */
class JsonLinesFileConfinementTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final AccessPolicy ALICE_OWNS_EVERY_GROUP = (actor, group) -> actor.equals(ALICE);
  private static final String KEY = "signing-key-0123456789abcdef";

  @TempDir
  Path dir;

  private Path root;
  private Path outside;
  private final List<AuditStreamer> streamers = new ArrayList<>();

  @BeforeEach
  void makeFolders() throws Exception {
    root = Files.createDirectory(dir.resolve("root"));
    outside = Files.createDirectory(dir.resolve("outside"));
  }

  @AfterEach
  void closeStreamers() {
    streamers.forEach(AuditStreamer::close);
    System.clearProperty(JsonLinesFileSinkProvider.ROOT_PROPERTY);
  }

  private AuditStreamer streamer(JsonLinesFileSinkProvider provider) {
    AuditStreamer streamer = AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP).addSinkProvider(provider).build();
    streamers.add(streamer);
    return streamer;
  }

  private AuditStreamer streamer() {
    return streamer(new JsonLinesFileSinkProvider(root));
  }

  private static Destination create(AuditStreamer streamer, String group, String path) {
    return streamer.destinations().create(ALICE, group, DestinationDraft.builder(
        JsonLinesFileConfig.builder().path(path).signingKey(KEY)).name("audit-file").build());
  }

  private static void assertRefusedOnPath(AuditStreamer streamer, String group, String path, String rule) {
    assertThatThrownBy(() -> create(streamer, group, path))
        .as("path %s in group %s", path, group)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("path"))
        .hasMessageContaining(rule);
    assertThat(streamer.destinations().list(ALICE, group)).isEmpty();
  }

  private static AuditEvent event(String projectPath) {
    return AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, 7L, projectPath).build();
  }

  @Test
  void refusesPathsThatClimbOutOfTheGroupsFolder() {
    AuditStreamer streamer = streamer();

    for (String path : List.of("../audit.jsonl", "logs/../../audit.jsonl", "../globex/audit.jsonl",
        root.resolve("acme").resolve("..").resolve("globex").resolve("audit.jsonl").toString())) {
      assertRefusedOnPath(streamer, "acme", path, "path must not contain '..' segments");
    }
  }

  @Test
  void refusesAnAbsolutePathOutsideTheRootAndOneInAnotherGroupsFolder() throws Exception {
    Files.createDirectories(root.resolve("globex"));
    AuditStreamer streamer = streamer();

    assertRefusedOnPath(streamer, "acme", outside.resolve("audit.jsonl").toString(),
        "path must be relative to the folder of group 'acme', or an absolute path inside it");
    assertRefusedOnPath(streamer, "acme", root.resolve("audit.jsonl").toString(), "path must be relative to the folder");
    assertRefusedOnPath(streamer, "acme", root.resolve("globex/audit.jsonl").toString(),
        "path must be relative to the folder");
    // A group whose path starts like another's gets no way into it either.
    assertRefusedOnPath(streamer, "acm", root.resolve("acme/audit.jsonl").toString(), "path must be relative to the folder");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void refusesAPathThroughASymbolicLinkThatLeadsOutOfTheGroupsFolder() throws Exception {
    Path acme = Files.createDirectories(root.resolve("acme"));
    Files.createSymbolicLink(acme.resolve("escape"), outside);
    Files.createSymbolicLink(acme.resolve("other-group"), Files.createDirectories(root.resolve("globex")));
    Files.createSymbolicLink(acme.resolve("passwd.jsonl"), outside.resolve("passwd"));
    AuditStreamer streamer = streamer();

    assertRefusedOnPath(streamer, "acme", "escape/audit.jsonl", "path leads outside the group's folder through a symbolic link");
    assertRefusedOnPath(streamer, "acme", "other-group/audit.jsonl", "leads outside the group's folder");
    assertRefusedOnPath(streamer, "acme", "passwd.jsonl", "path must not be a symbolic link");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void refusesAGroupFolderThatIsASymbolicLinkOutOfTheRoot() throws Exception {
    Files.createSymbolicLink(root.resolve("acme"), outside);
    AuditStreamer streamer = streamer();

    assertRefusedOnPath(streamer, "acme", "audit.jsonl", "leads outside the group's folder");
  }

  @Test
  void aSymbolicLinkPutInTheFilesPlaceAfterTheSaveIsNotFollowedAndTheDeliveryFailsForGood() throws Exception {
    AuditStreamer streamer = streamer();
    Destination d = create(streamer, "acme", "audit.jsonl");
    Files.createDirectories(root.resolve("acme"));
    Path target = outside.resolve("host-file");
    Files.writeString(target, "host data\n");
    Files.createSymbolicLink(root.resolve("acme/audit.jsonl"), target);

    assertThat(streamer.stream(event("acme/api"))).isTrue();
    DestinationStatus status = awaitFailed(streamer, d);

    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e)
        .contains("path leads outside the group's folder through a symbolic link: nothing was written"));
    assertThat(Files.readString(target)).isEqualTo("host data\n");
  }

  @Test
  void aFolderSwappedForASymbolicLinkAfterTheSaveIsNotWrittenThrough() throws Exception {
    Path logs = Files.createDirectories(root.resolve("acme/logs"));
    AuditStreamer streamer = streamer();
    Destination d = create(streamer, "acme", "logs/audit.jsonl");
    Files.delete(logs);
    Files.createSymbolicLink(logs, outside);

    assertThat(streamer.stream(event("acme/api"))).isTrue();
    DestinationStatus status = awaitFailed(streamer, d);

    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("leads outside the group's folder"));
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void withoutARootTheProviderServiceLoaderMakesRefusesEveryDestinationNamingTheProperty() {
    System.clearProperty(JsonLinesFileSinkProvider.ROOT_PROPERTY);
    AuditStreamer streamer = streamer(new JsonLinesFileSinkProvider());

    assertRefusedOnPath(streamer, "acme", "audit.jsonl", "jsonl-file destinations are turned off: the host gives them no"
        + " folder (system property " + JsonLinesFileSinkProvider.ROOT_PROPERTY + ")");
  }

  @Test
  void theProviderServiceLoaderMakesTakesItsRootFromTheSystemProperty() {
    System.setProperty(JsonLinesFileSinkProvider.ROOT_PROPERTY, root.toString());
    // Found through ServiceLoader: nothing hands the provider to the streamer.
    AuditStreamer streamer = AuditStreamer.builder().accessPolicy(ALICE_OWNS_EVERY_GROUP).build();
    streamers.add(streamer);

    create(streamer, "acme", "audit.jsonl");
    assertThat(streamer.stream(event("acme/api"))).isTrue();
    assertThat(streamer.flush(Duration.ofSeconds(20))).isTrue();

    assertThat(SignedLine.readAll(root.resolve("acme/audit.jsonl"))).singleElement()
        .satisfies(line -> assertThat(line.signedWith(KEY)).isTrue());
  }

  @Test
  void aPropertyNamingNoFolderRefusesEveryDestination() {
    System.setProperty(JsonLinesFileSinkProvider.ROOT_PROPERTY, dir.resolve("missing").toString());

    assertRefusedOnPath(streamer(new JsonLinesFileSinkProvider()), "acme", "audit.jsonl",
        "the system property " + JsonLinesFileSinkProvider.ROOT_PROPERTY + " names no existing folder");
  }

  @Test
  void aHostGivenRootMustBeAnExistingFolder() {
    assertThatThrownBy(() -> new JsonLinesFileSinkProvider(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an existing folder");
  }

  private static DestinationStatus awaitFailed(AuditStreamer streamer, Destination d) {
    return Await.untilValue(Duration.ofSeconds(20), () -> streamer.destinations().status(ALICE, d.id()),
        s -> s.failed() > 0, "the delivery to " + d.name() + " to fail");
  }
}
