package io.auditstream.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * One version of the schema: the statements that bring a database from the previous version to this
 * one, applied in one transaction together with the row that records it in {@code schema_version}.
 *
 * <p>Internal; may change without notice.
 *
 * @param version the version this migration reaches, from 1
 * @param description what it does, recorded beside the version
 * @param statements the DDL, in order
 */
record Migration(int version, String description, List<String> statements) {
  Migration {
    Objects.requireNonNull(description, "description");
    statements = List.copyOf(statements);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1 (was " + version + ")");
    }
  }
}
