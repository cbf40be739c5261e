package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.api.destination.WriteOnlySecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcDestinationStoreTest {
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
  private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String HEADER_SECRET = "Bearer header-secret-value";
  private static final String PLUGIN_SECRET = "plugin-secret-value";

  /** The built-in kinds and the host's plug-in kind, as a host that ships the plug-in has them. */
  private static final DestinationKinds WITH_PLUGIN = DestinationKinds.discover().with(List.of(PluginConfig.DESTINATION_KIND));

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private EmbeddedStore open(DestinationKinds kinds) {
    return EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).destinationKinds(kinds).open();
  }

  private static Destination destination(String id, String group, DestinationConfig config, Instant createdAt) {
    return Destination.builder()
        .id(DestinationId.of(id))
        .groupPath(group)
        .name("Destination " + id)
        .verificationToken(Secret.of("token-abcdefgh-" + id))
        .config(config)
        .createdAt(createdAt)
        .build();
  }

  private static Destination http() {
    return destination("http-1", "acme", HttpDestinationConfig.builder()
            .destinationUrl("https://siem.example.com/audit").contentType("application/json")
            .header("Authorization", HEADER_SECRET).header(new HttpHeader("X-Off", "off", false))
            .batching(new HttpBatching(250, 512 * 1024, Duration.ofMillis(5))).build(),
        Instant.parse("2026-01-02T03:04:05.123456789Z"))
        .toBuilder()
        .active(false)
        .eventTypeFilter(List.of("user_created", "project_deleted"))
        .namespaceFilter(List.of(Namespace.group("acme/sub"), Namespace.project("acme/sub/app")))
        .updatedAt(Instant.parse("2026-02-03T04:05:06.789Z"))
        .build();
  }

  private static Destination gcp() {
    return destination("gcp-1", "acme", GcpLoggingDestinationConfig.builder().googleProjectIdName("my-project")
        .clientEmail("writer@my-project.iam.gserviceaccount.com").privateKey(PEM).logIdName("audit/x")
        .endpoint("logging.example.com:443").tokenServerUri("https://oauth.example.com/token").build(),
        Instant.parse("2026-01-03T00:00:00Z"));
  }

  private static Destination s3() {
    return destination("s3-1", "acme", S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey(SECRET_ACCESS_KEY).bucketName("acme-audit").awsRegion("eu-central-1")
        .endpoint("http://minio.example.com:9000").pathStyleAccess(true).build(),
        Instant.parse("2026-01-04T00:00:00Z"));
  }

  private static Destination plugin() {
    return destination("plugin-1", "acme", new PluginConfig("https://hooks.example.com/x", List.of("eu", "us"),
        WriteOnlySecret.of(PLUGIN_SECRET)), Instant.parse("2026-01-05T00:00:00Z"));
  }

  @Test
  void refusesToSaveARedactedCopyWhichHasNoToken() {
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      assertThatThrownBy(() -> store.destinations().save(http().redacted()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redacted");
      assertThat(store.destinations().findAll()).isEmpty();
    }
  }

  @Test
  void roundTripsEveryFieldOfHttpCloudLoggingAndS3DestinationsAcrossAReopen() {
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      store.destinations().save(s3());
      store.destinations().save(http());
      store.destinations().save(gcp());
    }

    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      JdbcDestinationStore destinations = store.destinations();
      assertThat(destinations.findAll()).as("oldest first").containsExactly(http(), gcp(), s3());
      assertThat(destinations.find(http().id())).hasValueSatisfying(d -> {
        assertThat(d.verificationToken().orElseThrow().reveal()).isEqualTo("token-abcdefgh-http-1");
        assertThat(d.active()).isFalse();
        assertThat(d.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456789Z"));
        assertThat(d.updatedAt()).isEqualTo(Instant.parse("2026-02-03T04:05:06.789Z"));
        assertThat(d.eventTypeFilter()).containsExactly("project_deleted", "user_created");
        assertThat(d.namespaceFilter()).containsExactly(Namespace.group("acme/sub"), Namespace.project("acme/sub/app"));
        assertThat(((HttpDestinationConfig) d.config()).headers())
            .containsExactly(HttpHeader.of("Authorization", HEADER_SECRET), new HttpHeader("X-Off", "off", false));
        assertThat(((HttpDestinationConfig) d.config()).batching())
            .contains(new HttpBatching(250, 512 * 1024, Duration.ofMillis(5)));
      });
      assertThat(destinations.find(gcp().id())).hasValueSatisfying(d ->
          assertThat(((GcpLoggingDestinationConfig) d.config()).privateKey().value()).contains(Secret.of(PEM)));
      assertThat(destinations.find(s3().id())).hasValueSatisfying(d -> {
        S3DestinationConfig c = (S3DestinationConfig) d.config();
        assertThat(c.secretAccessKey().value()).contains(Secret.of(SECRET_ACCESS_KEY));
        assertThat(c.pathStyleAccess()).isTrue();
      });
    }
  }

  @Test
  void keepsTokensAndSecretsInTheSecretsColumnAndNoneInTheSettings() throws Exception {
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      store.destinations().save(http());
      store.destinations().save(gcp());
      store.destinations().save(s3());
    }

    List<String> settings = RawDatabase.column(dir, "SELECT settings FROM destinations");
    assertThat(String.join("\n", settings)).doesNotContain(HEADER_SECRET, PEM.substring(0, 40).replace("\n", "\\n"),
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", SECRET_ACCESS_KEY, "token-abcdefgh");
    JsonNode httpSecrets = RawDatabase.openSecrets(dir, "http-1");
    assertThat(httpSecrets.get("verificationToken").asText()).isEqualTo("token-abcdefgh-http-1");
    assertThat(httpSecrets.get("config").get("headers[0].value").asText()).isEqualTo(HEADER_SECRET);
    JsonNode s3Secrets = RawDatabase.openSecrets(dir, "s3-1");
    assertThat(s3Secrets.get("config").get("secretAccessKey").asText()).isEqualTo(SECRET_ACCESS_KEY);
    assertThat(RawDatabase.column(dir, "SELECT kind || ' ' || artifact FROM destinations ORDER BY kind"))
        .containsExactly("gcp io.auditstream:sink-gcp-logging", "http io.auditstream:sink-http",
            "s3 io.auditstream:sink-aws-s3");
    assertThat(MAPPER.readTree(RawDatabase.column(dir, "SELECT settings FROM destinations WHERE id = 's3-1'").get(0))
        .get("bucketName").asText()).isEqualTo("acme-audit");
  }

  @Test
  void keepsTheSigningSecretsInTheSecretsColumnAndReadsThemBackAcrossAReopen() throws Exception {
    String current = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String previous = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB";
    Destination rotating = http().toBuilder()
        .signing(WebhookSigning.of(Secret.of(current), Secret.of(previous))).build();
    Destination signing = s3().toBuilder().signing(WebhookSigning.with(Secret.of(current))).build();
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      store.destinations().save(rotating);
      store.destinations().save(signing);
      store.destinations().save(gcp());
    }

    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      assertThat(store.destinations().find(rotating.id())).hasValueSatisfying(d ->
          assertThat(d.signing().secrets()).containsExactly(Secret.of(current), Secret.of(previous)));
      assertThat(store.destinations().find(signing.id())).hasValueSatisfying(d ->
          assertThat(d.signing().secrets()).containsExactly(Secret.of(current)));
      assertThat(store.destinations().find(gcp().id())).hasValueSatisfying(d ->
          assertThat(d.signing()).isEqualTo(WebhookSigning.off()));
    }
    JsonNode secrets = RawDatabase.openSecrets(dir, "http-1");
    assertThat(secrets.get("signing").get("current").asText()).isEqualTo(current);
    assertThat(secrets.get("signing").get("previous").asText()).isEqualTo(previous);
    assertThat(RawDatabase.openSecrets(dir, "gcp-1").has("signing")).isFalse();
    assertThat(String.join("\n", RawDatabase.column(dir, "SELECT secrets FROM destinations")))
        .doesNotContain(current.substring(6), previous.substring(6));
    assertThat(String.join("\n", RawDatabase.column(dir, "SELECT settings || filters FROM destinations")))
        .doesNotContain(current.substring(6), previous.substring(6));
  }

  @Test
  void keepsADestinationOfAnUnknownKindIntactAndWritesItBackUnchanged() throws Exception {
    try (EmbeddedStore store = open(WITH_PLUGIN)) {
      store.destinations().save(plugin());
    }
    // The secrets are sealed again, with a fresh nonce, on every save: compared once opened.
    String columns = "SELECT kind || '|' || artifact || '|' || settings FROM destinations";
    List<String> written = RawDatabase.column(dir, columns);
    JsonNode writtenSecrets = RawDatabase.openSecrets(dir, "plugin-1");

    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      Destination unknown = store.destinations().find(plugin().id()).orElseThrow();
      assertThat(unknown.config()).isInstanceOfSatisfying(UnavailableDestinationConfig.class, u -> {
        assertThat(u.kindName()).isEqualTo("webhook-x");
        assertThat(u.artifact()).contains("com.example:audit-sink-webhook-x");
        assertThat(u.stored().secret("apiKey")).contains(Secret.of(PLUGIN_SECRET));
      });
      assertThat(unknown.available()).isFalse();
      // An Owner renames it while its kind is missing.
      store.destinations().save(unknown.toBuilder().name("Renamed").build());
    }

    assertThat(RawDatabase.column(dir, columns)).as("config written back byte for byte").isEqualTo(written);
    assertThat(RawDatabase.openSecrets(dir, "plugin-1")).as("secrets written back unchanged").isEqualTo(writtenSecrets);
    try (EmbeddedStore store = open(WITH_PLUGIN)) {
      assertThat(store.destinations().find(plugin().id()))
          .contains(plugin().toBuilder().name("Renamed").build());
    }
  }

  @Test
  void keepsThePausedReasonInItsColumnAcrossAReopenAndClearsItOnResume() throws Exception {
    Destination paused = gcp().toBuilder().paused("paused automatically after failing for 1 day: UNAVAILABLE").build();
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      store.destinations().save(paused);
      store.destinations().save(s3());
    }
    assertThat(RawDatabase.column(dir,
        "SELECT id || '=' || coalesce(paused_reason, 'null') FROM destinations ORDER BY id"))
        .containsExactly("gcp-1=paused automatically after failing for 1 day: UNAVAILABLE", "s3-1=null");

    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      assertThat(store.destinations().find(paused.id())).contains(paused);
      assertThat(store.destinations().find(s3().id())).hasValueSatisfying(d -> assertThat(d.pausedReason()).isEmpty());
      store.destinations().save(paused.toBuilder().resumed().build());
    }
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      assertThat(store.destinations().find(paused.id())).contains(gcp());
    }
  }

  @Test
  void migratesADatabaseOfSchemaVersion1AndReadsItsDestinationsAsNotPaused() throws Exception {
    // A database as the first release wrote it: schema version 1, a destination row without paused_reason.
    Files.createDirectories(dir);
    RawDatabase.execute(dir, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
        + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    Migration first = new SqliteDialect().migrations().get(0);
    for (String ddl : first.statements()) {
      RawDatabase.execute(dir, ddl);
    }
    RawDatabase.execute(dir, "INSERT INTO schema_version VALUES (1, '" + first.description()
        + "', '2026-01-01T00:00:00Z')");
    RawDatabase.execute(dir, "INSERT INTO destinations (id, group_path, name, kind, artifact, active, settings,"
        + " secrets, filters, created_at, updated_at)"
        + " VALUES ('old-1', 'acme', 'Old', 'http', 'io.auditstream:sink-http', 1,"
        + " '{\"destinationUrl\":\"https://old.example.com\",\"contentType\":\"application/json\",\"headers\":[]}',"
        + " '{\"verificationToken\":\"abcdefghijklmnop\",\"config\":{}}', '{\"eventTypes\":[],\"namespaces\":[]}',"
        + " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");

    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      assertThat(store.schemaVersion()).isEqualTo(4);
      Destination old = store.destinations().find(DestinationId.of("old-1")).orElseThrow();
      assertThat(old.pausedReason()).isEmpty();
      assertThat(old.active()).isTrue();
      assertThat(old.name()).isEqualTo("Old");
      assertThat(((HttpDestinationConfig) old.config()).batching()).as("stored before batching existed").isEmpty();
      store.destinations().save(old.toBuilder().paused("receiver moves").build());
    }

    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      assertThat(store.destinations().find(DestinationId.of("old-1")))
          .hasValueSatisfying(d -> assertThat(d.pausedReason()).contains("receiver moves"));
    }
    assertThat(RawDatabase.column(dir, "SELECT version FROM schema_version ORDER BY version"))
        .containsExactly("1", "2", "3", "4");
    assertThat(RawDatabase.column(dir, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'deliveries'"))
        .contains("deliveries_order").doesNotContain("deliveries_lease");
  }

  @Test
  void replacesByIdDeletesAndListsAGroupOldestFirst() {
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      JdbcDestinationStore destinations = store.destinations();
      Destination other = destination("other", "globex", HttpDestinationConfig.of("https://g.example.com/"),
          Instant.parse("2026-01-01T00:00:00Z"));
      destinations.save(s3());
      destinations.save(http());
      destinations.save(other);
      Destination renamed = http().toBuilder().name("Renamed").build();
      destinations.save(renamed);

      assertThat(destinations.findByGroup("acme")).containsExactly(renamed, s3());
      assertThat(destinations.findByGroup("globex")).containsExactly(other);
      assertThat(destinations.findByGroup("nobody")).isEmpty();
      assertThat(destinations.delete(other.id())).isTrue();
      assertThat(destinations.delete(other.id())).isFalse();
      assertThat(destinations.find(other.id())).isEmpty();
      assertThat(destinations.findAll()).containsExactly(renamed, s3());
    }
  }

  @Test
  void concurrentSavesAllLand() throws Exception {
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (EmbeddedStore store = open(DestinationKinds.discover())) {
      JdbcDestinationStore destinations = store.destinations();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < perThread; i++) {
            String id = "t" + thread + "-" + i;
            destinations.save(destination(id, "acme", HttpDestinationConfig.of("https://siem.example.com/" + id),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
            // Every thread also rewrites one shared destination.
            destinations.save(http().toBuilder().name("By " + thread + " " + i).build());
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }

      assertThat(destinations.findAll()).hasSize(threads * perThread + 1);
      assertThat(destinations.find(http().id())).hasValueSatisfying(d -> assertThat(d.name()).startsWith("By "));
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void refusesEveryCallAfterClose() {
    EmbeddedStore store = open(DestinationKinds.discover());
    store.close();

    assertThatThrownBy(() -> store.destinations().findAll()).isInstanceOf(IllegalStateException.class)
        .hasMessage("destination store is closed");
    assertThatThrownBy(() -> store.destinations().save(http())).hasMessage("destination store is closed");
    assertThatThrownBy(() -> store.destinations().delete(http().id())).hasMessage("destination store is closed");
    store.close();
  }
}
