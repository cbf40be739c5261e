package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's database as its outbox and destination store use it: units of work, each run in a
 * {@link Transaction} of its own that commits when the work returns and rolls back when it throws.
 * Two ways to run them: {@link SingleConnectionDatabase}, one connection under one lock (SQLite,
 * which writes one transaction at a time anyway), and {@link DataSourceDatabase}, a connection of the
 * host's pool per transaction, transactions running concurrently (PostgreSQL).
 *
 * <p>The outbox and the destination store share it; it is closed when the last of them {@link
 * #release() releases} it.
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
abstract class Database {
  /** A unit of work, run in a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Transaction tx) throws SQLException;
  }

  private final Dialect dialect;
  private final String location;
  private final AtomicLong commits = new AtomicLong();
  // guarded by this
  private int users;

  Database(Dialect dialect, String location, int users) {
    this.dialect = dialect;
    this.location = location;
    this.users = users;
  }

  final Dialect dialect() {
    return dialect;
  }

  /** Where the database is, for messages: a file, or a schema; never credentials. */
  final String location() {
    return location;
  }

  /**
   * Runs {@code work} in one transaction and commits it; rolls it back when it throws.
   *
   * @param what what the work does, for the message of a failure ("offer deliveries")
   * @throws AuditStreamException naming {@code what} and the database when the database fails;
   *     nothing of the work is then stored
   * @throws IllegalStateException when the database was closed
   * @throws RuntimeException what {@code work} threw, unchanged, after the rollback
   */
  abstract <T> T transaction(String what, Work<T> work);

  /** How many transactions committed since the database was opened. */
  final long commits() {
    return commits.get();
  }

  final void committed() {
    commits.incrementAndGet();
  }

  /** One user is done with the database; the last one closes it. */
  final void release() {
    synchronized (this) {
      if (users == 0) {
        return;
      }
      users--;
      if (users > 0) {
        return;
      }
    }
    closeResources();
  }

  /** Closes the database whoever still uses it, after {@code cause} made opening fail. */
  final void closeAfterFailure(RuntimeException cause) {
    synchronized (this) {
      if (users == 0) {
        return;
      }
      users = 0;
    }
    try {
      closeResources();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  final synchronized boolean isClosed() {
    return users == 0;
  }

  final void ensureOpen() {
    if (isClosed()) {
      throw new IllegalStateException("the database " + location + " is closed");
    }
  }

  /** Frees what the database holds, once its last user released it. */
  abstract void closeResources();

  final AuditStreamException failure(String what, SQLException e) {
    // The databases' and the drivers' messages name tables, constraints and key columns, never payloads
    // or secrets.
    return new AuditStreamException("cannot " + what + " in " + dialect.name() + " database " + location + ": "
        + e.getMessage(), e);
  }
}
