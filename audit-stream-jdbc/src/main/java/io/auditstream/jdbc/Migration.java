package io.auditstream.jdbc;

import io.auditstream.core.secrets.SecretsCipher;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * One version of the schema: the statements that bring a database from the previous version to this
 * one, applied in one transaction together with the row that records it in {@code schema_version};
 * then, for a version that rewrites rows, its {@link DataStep}, in the same transaction.
 *
 * <p>Internal; may change without notice.
 *
 * @param version the version this migration reaches, from 1
 * @param description what it does, recorded beside the version
 * @param statements the DDL, in order
 * @param data what rewrites rows after the statements; null when the version changes the schema alone
 */
record Migration(int version, String description, List<String> statements, DataStep data) {
  Migration {
    Objects.requireNonNull(description, "description");
    statements = List.copyOf(statements);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1 (was " + version + ")");
    }
  }

  /** A version that changes the schema alone. */
  Migration(int version, String description, List<String> statements) {
    this(version, description, statements, null);
  }

  /** Rows that a version rewrites, with what the store was opened with (the secrets' keys). */
  @FunctionalInterface
  interface DataStep {
    void apply(Transaction tx, SecretsCipher cipher) throws SQLException;
  }
}
