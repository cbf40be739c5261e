package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.ConflictException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Google Cloud Logging destinations through the engine, with a stand-in provider of kind {@code gcp}. */
class DestinationServiceGcpTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-first\n-----END PRIVATE KEY-----";
  private static final String OTHER_PEM = PEM.replace("first", "second");

  private final GcpProvider provider = new GcpProvider();
  private final AuditStreamer streamer = AuditStreamer.builder()
      .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
      .sinkProviders(List.of())
      .addSinkProvider(provider)
      .build();

  @AfterEach
  void close() {
    streamer.close();
  }

  private static GcpLoggingDestinationConfig.Builder config(String project, String logId) {
    return GcpLoggingDestinationConfig.builder().googleProjectIdName(project)
        .clientEmail("writer@" + project + ".iam.gserviceaccount.com").logIdName(logId).privateKey(PEM);
  }

  private Destination create(GcpLoggingDestinationConfig config, String name) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(config).name(name).build());
  }

  @Test
  void listsEveryFieldButThePrivateKeyWhichOnlyShowsAsSet() {
    Destination d = create(config("my-project", "audit-events").build(), "cloud");

    List<Destination> listed = streamer.destinations().list(ALICE, "acme");

    GcpLoggingDestinationConfig shown = (GcpLoggingDestinationConfig) listed.get(0).config();
    assertThat(listed.get(0).id()).isEqualTo(d.id());
    assertThat(shown.googleProjectIdName()).isEqualTo("my-project");
    assertThat(shown.clientEmail()).isEqualTo("writer@my-project.iam.gserviceaccount.com");
    assertThat(shown.logIdName()).isEqualTo("audit-events");
    assertThat(shown.privateKey().value()).isEmpty();
    assertThat(shown.hasPrivateKey()).isTrue();
    assertThat(listed.get(0).toString()).doesNotContain("first");
  }

  @Test
  void updateWithoutAPrivateKeyKeepsTheStoredKey() {
    Destination d = create(config("my-project", "audit-events").build(), "cloud");
    GcpLoggingDestinationConfig edited = ((GcpLoggingDestinationConfig) streamer.destinations().get(ALICE, d.id())
        .config()).toBuilder().googleProjectIdName("other-project").clientEmail("new@other-project.iam.gserviceaccount.com")
        .logIdName("renamed").build();

    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder().name("renamed").config(edited).build());

    GcpLoggingDestinationConfig validated = (GcpLoggingDestinationConfig) provider.validated.get(
        provider.validated.size() - 1);
    assertThat(validated.privateKey().value()).contains(Secret.of(PEM));
    assertThat(validated.googleProjectIdName()).isEqualTo("other-project");
    assertThat(validated.clientEmail()).isEqualTo("new@other-project.iam.gserviceaccount.com");
    assertThat(validated.logIdName()).isEqualTo("renamed");
    assertThat(streamer.destinations().get(ALICE, d.id()).name()).isEqualTo("renamed");
  }

  @Test
  void updateWithANewPrivateKeyReplacesIt() {
    Destination d = create(config("my-project", "audit-events").build(), "cloud");

    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder()
        .config(config("my-project", "audit-events").privateKey(OTHER_PEM).build()).build());

    assertThat(((GcpLoggingDestinationConfig) provider.validated.get(provider.validated.size() - 1)).privateKey().value())
        .contains(Secret.of(OTHER_PEM));
  }

  @Test
  void refusesADestinationWithoutAPrivateKey() {
    assertThatThrownBy(() -> create(config("my-project", "audit-events").privateKey((Secret) null).build(), "cloud"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("privateKey"))
        .hasMessageContaining("privateKey is required");
  }

  @Test
  void refusesASecondDestinationWritingToTheSameProjectAndLog() {
    Destination first = create(config("my-project", "audit-events").build(), "first");

    assertThatThrownBy(() -> create(config("my-project", "audit-events").build(), "second"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("logIdName"))
        .hasMessageContaining(first.id().toString())
        .hasMessageContaining("projects/my-project/logs/audit-events");
    assertThat(create(config("my-project", "other-log").build(), "other log")).isNotNull();
    assertThat(create(config("another-project", "audit-events").build(), "other project")).isNotNull();
  }

  @Test
  void refusesAnUpdateOntoAnotherDestinationsProjectAndLog() {
    create(config("my-project", "audit-events").build(), "first");
    Destination second = create(config("my-project", "second-log").build(), "second");

    assertThatThrownBy(() -> streamer.destinations().update(ALICE, second.id(), DestinationUpdate.builder()
        .config(config("my-project", "audit-events").privateKey((Secret) null).build()).build()))
        .isInstanceOf(ConflictException.class);
  }

  /** Accepts what a real provider would, and records each config it validated. */
  private static final class GcpProvider implements SinkProvider {
    final List<DestinationConfig> validated = new CopyOnWriteArrayList<>();

    @Override
    public DestinationKind<?> destinationKind() {
      return GcpLoggingDestinationConfig.DESTINATION_KIND;
    }

    @Override
    public void validate(DestinationConfig config, SinkContext context) {
      validated.add(config);
      if (!((GcpLoggingDestinationConfig) config).privateKey().isPresent()) {
        throw new ValidationException("privateKey", "privateKey is required");
      }
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return batch -> {};
    }
  }
}
