package io.auditstream.jdbc;

/**
 * What every store hands the host: its outbox and its destination store, which share one database,
 * and the schema version they found or made. {@link EmbeddedStore} and {@link PostgresStore} add where
 * the database is. Internal; may change without notice.
 */
abstract class JdbcStore implements AutoCloseable {
  private final StoreParts parts;

  JdbcStore(StoreParts parts) {
    this.parts = parts;
  }

  /** The durable outbox, to pass to the streamer as its delivery queue. */
  public final JdbcOutbox outbox() {
    return parts.outbox();
  }

  /** The destination store, to pass to the streamer. */
  public final JdbcDestinationStore destinations() {
    return parts.destinations();
  }

  /** The schema version of the database, the newest this library knows. */
  public final int schemaVersion() {
    return parts.schemaVersion();
  }

  /**
   * Closes the outbox and the destination store, and so the store's use of the database (a host's data
   * source stays open). Idempotent.
   */
  @Override
  public final void close() {
    parts.close();
  }
}
