package io.auditstream.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/** The outbox's contract on PostgreSQL, one instance alone in a schema of its own. */
class PostgresOutboxTest extends JdbcOutboxTest {
  private final String schema = PostgresFixture.freshSchema();
  private final HikariDataSource pool = PostgresFixture.pool(4);

  @Override
  JdbcStore open(Consumer<StoreBuilder<?>> settings) {
    PostgresStore.Builder builder = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId("host-a")
        .eventDecoder(TestEvents::decode);
    settings.accept(builder);
    return builder.open();
  }

  @AfterEach
  void closePool() {
    pool.close();
  }
}
