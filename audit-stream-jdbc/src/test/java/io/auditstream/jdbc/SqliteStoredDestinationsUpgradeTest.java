package io.auditstream.jdbc;

import io.auditstream.core.AuditEventJson;
import io.auditstream.core.secrets.SecretKeyFile;
import io.auditstream.core.secrets.SecretsCipher;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Destination rows of an earlier version, on the embedded SQLite store. */
class SqliteStoredDestinationsUpgradeTest extends StoredDestinationsUpgradeTest {
  @TempDir Path dir;

  @Override
  JdbcStore open() {
    return EmbeddedStore.builder(dir).eventDecoder(AuditEventJson::decode).destinationKinds(KINDS).open();
  }

  @Override
  void sql(String sql, String... values) throws Exception {
    RawDatabase.update(dir, sql, values);
  }

  @Override
  String value(String sql) throws Exception {
    return RawDatabase.column(dir, sql).get(0);
  }

  @Override
  SecretsCipher cipher() throws Exception {
    return SecretsCipher.of(SecretKeyFile.loadOrCreate(dir.resolve(EmbeddedStore.KEY_FILE)));
  }

  @Override
  String table(String table) {
    return table;
  }
}
