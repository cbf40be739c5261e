package io.auditstream.examples.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.AuditEventJson;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.jdbc.PostgresStore;
import java.time.Duration;

/**
 * The demo's durable store: the embedded one in a data folder, or one shared by every demo process on a
 * PostgreSQL database (through a small connection pool). The streamer closes the outbox and the
 * destination store; {@link #close()} then closes the pool. Not thread-safe.
 */
final class DemoStore implements AutoCloseable {
  // A demo process needs few connections: the router, a few delivery lanes and the polls.
  private static final int POOL_SIZE = 4;
  // Short, so that a demo process killed while delivering leaves its claims to the others soon.
  private static final Duration LEASE = Duration.ofSeconds(10);

  private final DestinationStore destinations;
  private final DeliveryQueue outbox;
  private final HikariDataSource pool;
  private final String description;

  private DemoStore(DestinationStore destinations, DeliveryQueue outbox, HikariDataSource pool, String description) {
    this.destinations = destinations;
    this.outbox = outbox;
    this.pool = pool;
    this.description = description;
  }

  /**
   * Opens the store the options name.
   *
   * @throws RuntimeException when it cannot be opened; the message says why (never the password)
   */
  static DemoStore open(DemoOptions options) {
    if (options.dataDir() != null) {
      EmbeddedStore store = EmbeddedStore.open(options.dataDir(), AuditEventJson::decode);
      return new DemoStore(store.destinations(), store.outbox(), null, options.dataDir().toString());
    }
    PostgresTarget target = options.postgres();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(target.url());
    config.setUsername(target.user());
    config.setPassword(target.password());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName("audit-stream-demo");
    config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    HikariDataSource pool = new HikariDataSource(config);
    try {
      PostgresStore store = PostgresStore.builder(pool).eventDecoder(AuditEventJson::decode)
          .secretKeys(target.secretKeys()).leaseDuration(LEASE).open();
      return new DemoStore(store.destinations(), store.outbox(), pool, target.location());
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  DestinationStore destinations() {
    return destinations;
  }

  DeliveryQueue outbox() {
    return outbox;
  }

  /** Where the store is, for messages: the data folder or the JDBC URL. */
  String description() {
    return description;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
  }
}
