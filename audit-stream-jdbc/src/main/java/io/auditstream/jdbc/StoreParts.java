package io.auditstream.jdbc;

/**
 * What a store opened in its database: the schema version, the outbox and the destination store,
 * which share the database and close it when both are closed. Internal; may change without notice.
 */
record StoreParts(int schemaVersion, JdbcOutbox outbox, JdbcDestinationStore destinations) {
  /** Closes the outbox and the destination store, and so the database. Idempotent. */
  void close() {
    try {
      outbox.close();
    } finally {
      destinations.close();
    }
  }
}
