package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.CUSTOM_KIND;
import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OTHER_GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ConflictException;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A kind written by a host gets what the built-in ones get, and a kind without its sink is kept intact. */
class DestinationServiceKindTest {
  private final ServiceFixture f = new ServiceFixture();

  @Test
  void hostKindIsUniqueByItsOwnKeyInTheGroupOnly() {
    Destination first = f.createCustom();

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP,
        DestinationDraft.builder(TestConfig.withKey(CUSTOM_KIND, "queue-1", "another-api-key")).build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
        .hasMessageContaining("endpoint must be unique in group 'acme'")
        .hasMessageContaining(first.id().toString())
        .hasMessageNotContaining("another-api-key");
    assertThat(f.service.create(OWNER, OTHER_GROUP,
        DestinationDraft.builder(TestConfig.withKey(CUSTOM_KIND, "queue-1", "another-api-key")).build())).isNotNull();
  }

  @Test
  void updatingWithTheListedConfigAndANewNameKeepsTheHostKindsSecret() {
    Destination d = f.createCustom();
    TestConfig listed = (TestConfig) f.service.list(OWNER, GROUP).get(0).config();

    f.service.update(OWNER, d.id(), DestinationUpdate.builder().name("renamed").config(listed).build());

    TestConfig stored = (TestConfig) f.store.find(d.id()).orElseThrow().config();
    assertThat(stored.apiKey().get().reveal()).isEqualTo("super-secret-api-key");
    assertThat(f.delivery.saved).last().satisfies(saved ->
        assertThat(((TestConfig) saved.config()).apiKey().get().reveal()).isEqualTo("super-secret-api-key"));
  }

  @Test
  void aListedConfigOfAnotherDestinationCannotBeSavedWithItsRedactedSecret() {
    f.createCustom();
    TestConfig listed = (TestConfig) f.service.list(OWNER, GROUP).get(0).config();

    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, DestinationDraft.builder(
        new TestConfig(CUSTOM_KIND, "queue-2", listed.apiKey())).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("apiKey"))
        .hasMessageContaining("redacted");
  }

  @Test
  void reportsEveryViolationOfACreateAtOnce() {
    assertThatThrownBy(() -> f.service.create(OWNER, GROUP, DestinationDraft.builder(TestConfig.of(CUSTOM_KIND, " "))
        .eventTypeFilter(List.of("nope")).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactlyInAnyOrder("endpoint", "eventTypeFilter"));
  }

  @Test
  void destinationWhoseSinkIsMissingIsListedUnavailableAndKeptIntact() {
    InMemoryDestinationStore store = new InMemoryDestinationStore();
    try (AuditStreamer with = streamer(store, true)) {
      with.destinations().create(OWNER, GROUP, DestinationDraft.http("https://a.example.com/in")
          .name("siem").build());
    }
    Destination stored = store.findAll().get(0);

    try (AuditStreamer without = streamer(store, false)) {
      Destination listed = without.destinations().list(OWNER, GROUP).get(0);
      assertThat(listed.available()).isFalse();
      assertThat(listed.config()).isInstanceOfSatisfying(UnavailableDestinationConfig.class,
          u -> assertThat(u.missingMessage()).contains("io.auditstream:sink-http"));

      Destination renamed = without.destinations().update(OWNER, listed.id(),
          DestinationUpdate.builder().name("siem (paused)").active(false).build());
      assertThat(renamed.name()).isEqualTo("siem (paused)");
      assertThatThrownBy(() -> without.destinations().update(OWNER, listed.id(),
          DestinationUpdate.builder().config(HttpDestinationConfig.of("https://b.example.com")).build()))
          .isInstanceOf(MissingSinkException.class).hasMessageContaining("io.auditstream:sink-http");
      assertThatThrownBy(() -> without.destinations().create(OWNER, GROUP,
          DestinationDraft.http("https://c.example.com").build()))
          .isInstanceOf(MissingSinkException.class).hasMessageContaining("io.auditstream:sink-http");
    }

    try (AuditStreamer back = streamer(store, true)) {
      Destination again = back.destinations().list(OWNER, GROUP).get(0);
      assertThat(again.available()).isTrue();
      assertThat(again.config()).isEqualTo(stored.config());
      assertThat(again.name()).isEqualTo("siem (paused)");
    }
  }

  private static AuditStreamer streamer(InMemoryDestinationStore store, boolean withHttpSink) {
    AuditStreamer.Builder b = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(OWNER))
        .destinationStore(new NonClosingStore(store))
        .sinkProviders(List.of(new ServiceFixture.TestProvider(new TestKind(CUSTOM_KIND))));
    if (withHttpSink) {
      b.addSinkProvider(new ServiceFixture.TestProvider(HttpDestinationConfig.DESTINATION_KIND));
    }
    return b.build();
  }

  @Test
  void aProviderChecksTheDestinationWithItsGroupWhenItIsSavedAndWhenItsConfigChanges() {
    List<Destination> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    SinkProvider groupAware = new ServiceFixture.TestProvider(new TestKind(CUSTOM_KIND)) {
      @Override
      public void validate(Destination destination, SinkContext context) {
        seen.add(destination);
        if (destination.groupPath().equals(OTHER_GROUP)) {
          throw new ValidationException("endpoint", "endpoint is not offered to group " + OTHER_GROUP);
        }
      }
    };
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy((actor, group) -> actor.equals(OWNER))
        .sinkProviders(List.of(groupAware)).build()) {
      Destination d = streamer.destinations().create(OWNER, GROUP,
          DestinationDraft.builder(TestConfig.withKey(CUSTOM_KIND, "queue-1", "super-secret-api-key")).build());
      streamer.destinations().update(OWNER, d.id(), DestinationUpdate.builder()
          .config(TestConfig.withKey(CUSTOM_KIND, "queue-2", "super-secret-api-key")).build());
      streamer.destinations().update(OWNER, d.id(), DestinationUpdate.builder().name("renamed").build());

      assertThatThrownBy(() -> streamer.destinations().create(OWNER, OTHER_GROUP,
          DestinationDraft.builder(TestConfig.withKey(CUSTOM_KIND, "queue-1", "super-secret-api-key")).build()))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
          .hasMessageContaining("not offered to group globex");
      assertThat(streamer.destinations().list(OWNER, OTHER_GROUP)).isEmpty();
      // Checked on create and on the config change, not on a rename.
      assertThat(seen).extracting(Destination::groupPath).containsExactly(GROUP, GROUP, OTHER_GROUP);
      assertThat(seen).extracting(x -> ((TestConfig) x.config()).endpoint())
          .containsExactly("queue-1", "queue-2", "queue-1");
    }
  }

  @Test
  void aProviderThatChecksOnlyTheConfigIsStillAsked() {
    List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    SinkProvider configOnly = new ServiceFixture.TestProvider(new TestKind(CUSTOM_KIND)) {
      @Override
      public void validate(io.auditstream.api.destination.DestinationConfig config, SinkContext context) {
        seen.add(config);
      }
    };
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy((actor, group) -> actor.equals(OWNER))
        .sinkProviders(List.of(configOnly)).build()) {
      streamer.destinations().create(OWNER, GROUP,
          DestinationDraft.builder(TestConfig.withKey(CUSTOM_KIND, "queue-1", "super-secret-api-key")).build());

      assertThat(seen).singleElement()
          .isInstanceOfSatisfying(TestConfig.class, c -> assertThat(c.endpoint()).isEqualTo("queue-1"));
    }
  }

  /** The core's main code names no concrete kind: no config class, no kind name, no table of artifacts. */
  @Test
  void coreMainCodeNeverBranchesOnAConcreteKind() throws IOException {
    Pattern concrete = Pattern.compile(
        "HttpDestinationConfig|GcpLoggingDestinationConfig|S3DestinationConfig|HttpHeader|Http.*Kind\\b"
            + "|\"(http|gcp|s3|test)\"|sink-http|sink-gcp|sink-aws|instanceof \\w*(Config|Kind)\\b");
    Path main = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(main)) {
      List<String> offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          return Files.readAllLines(p).stream()
              .filter(line -> !line.stripLeading().startsWith("*") && !line.stripLeading().startsWith("//"))
              .filter(line -> concrete.matcher(line).find())
              .map(line -> main.relativize(p) + ": " + line.strip());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
      assertThat(offending).isEmpty();
    }
  }

  /** Lets one in-memory store outlive the streamers that close it. */
  private record NonClosingStore(InMemoryDestinationStore store) implements io.auditstream.api.spi.DestinationStore {
    @Override
    public List<Destination> findAll() {
      return store.findAll();
    }

    @Override
    public List<Destination> findByGroup(String groupPath) {
      return store.findByGroup(groupPath);
    }

    @Override
    public java.util.Optional<Destination> find(io.auditstream.api.destination.DestinationId id) {
      return store.find(id);
    }

    @Override
    public void save(Destination destination) {
      store.save(destination);
    }

    @Override
    public boolean delete(io.auditstream.api.destination.DestinationId id) {
      return store.delete(id);
    }
  }
}
