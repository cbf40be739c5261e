package io.auditstream.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.core.AuditStreamer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter on the application's DataSource, against a real PostgreSQL server. */
class PostgresStoreAutoConfigurationTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final AccessPolicy ALICE_OWNS_ACME = (actor, group) -> actor.equals(ALICE) && group.equals("acme");
  private static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private static ApplicationContextRunner instance(String... more) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, AuditStreamAutoConfiguration.class))
        .withBean(AccessPolicy.class, () -> ALICE_OWNS_ACME)
        .withPropertyValues("spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres")
            + "&socketTimeout=30&connectTimeout=10", "spring.datasource.hikari.maximum-pool-size=4",
            "audit-stream.store.type=postgres", "audit-stream.store.postgres.schema=starter")
        .withPropertyValues(more);
  }

  @Test
  void twoInstancesShareTheDestinationsOfTheApplicationsDatabase() {
    instance("audit-stream.secret-keys=" + KEYS).run(first -> {
      assertThat(first.getBean(AuditStreamStore.class).type()).isEqualTo(StoreProperties.StoreType.POSTGRES);
      Destination created = first.getBean(AuditStreamer.class).destinations().create(ALICE, "acme",
          DestinationDraft.http("https://siem.example.com/hook").name("shared").build());

      instance("audit-stream.secret-keys=" + KEYS).run(second -> assertThat(
          second.getBean(AuditStreamer.class).destinations().get(ALICE, created.id()).name()).isEqualTo("shared"));
    });
  }

  @Test
  void withoutSecretKeysThePostgresStoreRefusesToStartAndSaysWhatToSet() {
    instance().run(context -> {
      assertThat(context).hasFailed();
      Throwable t = context.getStartupFailure();
      while (!(t instanceof AuditStreamSetupException) && t.getCause() != null) {
        t = t.getCause();
      }
      assertThat(t).isInstanceOf(AuditStreamSetupException.class);
      assertThat(((AuditStreamSetupException) t).action()).contains("audit-stream.secret-keys");
    });
  }
}
