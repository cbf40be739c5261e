package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.core.secrets.SecretsCipher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema to the newest version its dialect knows, and records each version
 * applied in {@code schema_version} (version, description, when). Each version is applied in one
 * transaction with its record, so a crash leaves a database at one version or the next, never
 * between. A database written by a newer version of the library is refused rather than guessed at.
 *
 * <p>Internal; may change without notice.
 */
final class SchemaMigrations {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);

  private static final String CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version ("
      + " version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)";

  private SchemaMigrations() {}

  /**
   * Applies the missing versions, each in a transaction of its own that first reads the version again:
   * where several processes share the database, the dialect's lock makes them migrate one after the
   * other, and each version is applied once.
   *
   * @param cipher what a version that rewrites destination secrets encrypts them with
   * @return the schema version the database is at now
   * @throws AuditStreamException when a migration fails, or the database is at a version newer than
   *     this library knows
   */
  static int apply(Database db, Clock clock, SecretsCipher cipher) {
    List<Migration> migrations = db.dialect().migrations();
    int newest = migrations.size();
    while (true) {
      Migration applied = db.transaction("migrate the schema", tx -> {
        tx.dialect().beforeMigration(tx);
        tx.execute(CREATE_VERSION_TABLE);
        int current;
        try (ResultSet rs = tx.statement("SELECT MAX(version) FROM schema_version").executeQuery()) {
          current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > newest) {
          throw new AuditStreamException("the database " + db.location() + " has schema version " + current
              + ", written by a newer version of audit-stream; this version knows versions up to " + newest);
        }
        if (current == newest) {
          return null;
        }
        Migration m = migrations.get(current);
        for (String ddl : m.statements()) {
          tx.execute(ddl);
        }
        if (m.data() != null) {
          try {
            m.data().apply(tx, cipher);
          } catch (IllegalArgumentException e) {
            throw new AuditStreamException("cannot apply schema version " + m.version() + " (" + m.description()
                + ") to " + db.location() + ": " + e.getMessage(), e);
          }
        }
        PreparedStatement record =
            tx.statement("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)");
        record.setInt(1, m.version());
        record.setString(2, m.description());
        record.setString(3, clock.instant().toString());
        record.executeUpdate();
        return m;
      });
      if (applied == null) {
        return newest;
      }
      log.info("Applied schema version {} ({}) to {}", applied.version(), applied.description(), db.location());
    }
  }
}
