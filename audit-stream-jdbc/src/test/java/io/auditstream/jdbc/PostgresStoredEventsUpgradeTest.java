package io.auditstream.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.core.AuditEventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;

/** Deliveries queued by an earlier version, on PostgreSQL. */
class PostgresStoredEventsUpgradeTest extends StoredEventsUpgradeTest {
  private final String schema = PostgresFixture.freshSchema();
  private final HikariDataSource pool = PostgresFixture.pool(4);

  @Override
  JdbcStore open() {
    return PostgresStore.builder(pool).secretKeys(TestKeys.KEYS).schema(schema).instanceId("host-a")
        .eventDecoder(AuditEventJson::decode).open();
  }

  @Override
  void sql(String sql, String... values) throws Exception {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        // The payload column is binary: the earlier version stored the UTF-8 bytes.
        if (sql.contains("payload") && i == 1) {
          s.setBytes(i + 1, values[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (sql.contains("size = ?") && i == 1) {
          s.setInt(i + 1, Integer.parseInt(values[i]));
        } else {
          s.setString(i + 1, values[i]);
        }
      }
      s.executeUpdate();
    }
  }

  @Override
  String table(String table) {
    return schema + "." + table;
  }

  @AfterEach
  void closePool() {
    pool.close();
  }
}
