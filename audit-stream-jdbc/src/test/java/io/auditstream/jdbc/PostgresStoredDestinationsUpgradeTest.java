package io.auditstream.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.secrets.SecretsCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;

/** Destination rows of an earlier version, on PostgreSQL. */
class PostgresStoredDestinationsUpgradeTest extends StoredDestinationsUpgradeTest {
  private final String schema = PostgresFixture.freshSchema();
  private final HikariDataSource pool = PostgresFixture.pool(4);

  @Override
  JdbcStore open() {
    return PostgresStore.builder(pool).secretKeys(TestKeys.KEYS).schema(schema).instanceId("host-a")
        .eventDecoder(AuditEventJson::decode).destinationKinds(KINDS).open();
  }

  @Override
  void sql(String sql, String... values) throws Exception {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setString(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  @Override
  String value(String sql) throws Exception {
    try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  SecretsCipher cipher() {
    return SecretsCipher.of(TestKeys.KEYS);
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
