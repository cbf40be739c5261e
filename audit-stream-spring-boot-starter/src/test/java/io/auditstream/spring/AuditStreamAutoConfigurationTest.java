package io.auditstream.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.core.AuditStreamer;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.core.AuditEventJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AuditStreamAutoConfigurationTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final AccessPolicy ALICE_OWNS_ACME = (actor, group) -> actor.equals(ALICE) && group.equals("acme");

  @TempDir
  Path data;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AuditStreamAutoConfiguration.class))
        .withPropertyValues("audit-stream.store.data-dir=" + data);
  }

  @Test
  void withoutAnAccessPolicyTheApplicationFailsToStartSayingWhatToAdd() {
    runner().run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      AuditStreamSetupException cause = findCause(failure);
      FailureAnalysis analysis = new AuditStreamFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription()).contains("io.auditstream.api.spi.AccessPolicy");
      assertThat(analysis.getAction()).contains("@Bean AccessPolicy");
      assertThat(cause).isNotNull();
    });
  }

  @Test
  void theEmbeddedStoreByDefaultKeepsDestinationsAcrossRestarts() {
    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME).run(context -> {
      assertThat(context).hasSingleBean(AuditStreamer.class);
      assertThat(context.getBean(AuditStreamStore.class).type()).isEqualTo(StoreProperties.StoreType.EMBEDDED);
      context.getBean(AuditStreamer.class).destinations().create(ALICE, "acme",
          DestinationDraft.http("https://siem.example.com/hook").name("siem").build());
    });
    assertThat(data.resolve(EmbeddedStore.DATABASE_FILE)).exists();

    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME).run(context -> assertThat(
        context.getBean(AuditStreamer.class).destinations().list(ALICE, "acme")).extracting(d -> d.name())
        .containsExactly("siem"));
  }

  @Test
  void closingTheContextClosesTheStreamerThenReleasesTheStore() {
    AuditStreamer[] streamer = new AuditStreamer[1];
    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME)
        .run(context -> streamer[0] = context.getBean(AuditStreamer.class));

    assertThat(streamer[0].running()).isFalse();
    // The database is held exclusively while open: another store can open the folder only once it was closed.
    try (EmbeddedStore again = EmbeddedStore.open(data, AuditEventJson::decode)) {
      assertThat(again.databaseFile()).exists();
    }
  }

  @Test
  void propertiesReachTheStreamer() {
    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME)
        .withPropertyValues("audit-stream.store.type=memory", "audit-stream.max-destinations-per-kind=1")
        .run(context -> {
          assertThat(context.getBean(AuditStreamStore.class).type()).isEqualTo(StoreProperties.StoreType.MEMORY);
          AuditStreamer streamer = context.getBean(AuditStreamer.class);
          streamer.destinations().create(ALICE, "acme", DestinationDraft.http("https://a.example.com/hook").build());
          assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> streamer.destinations().create(ALICE, "acme",
              DestinationDraft.http("https://b.example.com/hook").build()))).isInstanceOf(io.auditstream.api.ConflictException.class)
              .hasMessageContaining("1");
        });
  }

  @Test
  void aBrokenPropertyFailsTheStartNamingTheRule() {
    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME)
        .withPropertyValues("audit-stream.store.type=memory", "audit-stream.max-in-flight-per-destination=99")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(rootMessage(context.getStartupFailure())).contains("maxInFlightPerDestination");
        });
  }

  @Test
  void thePostgresStoreNeedsADataSourceAndSecretKeysAndSaysSo() {
    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME).withPropertyValues("audit-stream.store.type=postgres")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(findCause(context.getStartupFailure()).description()).contains("DataSource");
        });
  }

  @Test
  void disabledConfiguresNothing() {
    runner().withPropertyValues("audit-stream.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AuditStreamer.class));
  }

  @Test
  void customizersAdjustTheBuilderAndHearOfTheStreamer() {
    List<AuditStreamer> built = new java.util.concurrent.CopyOnWriteArrayList<>();
    runner().withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME).withPropertyValues("audit-stream.store.type=memory")
        .withBean(AuditStreamerCustomizer.class, () -> new AuditStreamerCustomizer() {
          @Override
          public void customize(AuditStreamer.Builder builder) {
            builder.maxDestinationsPerKind(2);
          }

          @Override
          public void built(AuditStreamer streamer) {
            built.add(streamer);
          }
        })
        .run(context -> assertThat(built).containsExactly(context.getBean(AuditStreamer.class)));
  }

  private static AuditStreamSetupException findCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AuditStreamSetupException e) {
        return e;
      }
    }
    throw new AssertionError("no AuditStreamSetupException in " + t);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage();
  }
}
