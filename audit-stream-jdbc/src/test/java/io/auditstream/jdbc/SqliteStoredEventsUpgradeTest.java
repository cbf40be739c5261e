package io.auditstream.jdbc;

import io.auditstream.core.AuditEventJson;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries queued by an earlier version, on the embedded SQLite store. */
class SqliteStoredEventsUpgradeTest extends StoredEventsUpgradeTest {
  @TempDir Path dir;

  @Override
  JdbcStore open() {
    return EmbeddedStore.builder(dir).eventDecoder(AuditEventJson::decode).open();
  }

  @Override
  void sql(String sql, String... values) throws Exception {
    RawDatabase.update(dir, sql, values);
  }

  @Override
  String table(String table) {
    return table;
  }
}
