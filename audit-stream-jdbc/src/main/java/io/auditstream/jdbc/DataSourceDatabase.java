package io.auditstream.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A {@link Database} on the host's connection pool: each transaction borrows a connection, turns
 * auto-commit off, lets its dialect begin it (PostgreSQL sets the schema for this transaction alone),
 * prepares its statements for itself, commits or rolls back, closes its statements, and returns the
 * connection as it found it. Transactions of one store run concurrently; the database serialises what
 * must be (row locks, advisory locks).
 *
 * <p>Closing it closes nothing of the pool, which is the host's.
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
final class DataSourceDatabase extends Database {
  private final DataSource dataSource;

  DataSourceDatabase(DataSource dataSource, Dialect dialect, String location, int users) {
    super(dialect, location, users);
    this.dataSource = dataSource;
  }

  @Override
  <T> T transaction(String what, Work<T> work) {
    ensureOpen();
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      Map<String, PreparedStatement> statements = new HashMap<>();
      RuntimeException failed = null;
      try {
        Transaction tx = new Transaction(connection, dialect(), statements);
        dialect().begin(tx);
        T result = work.run(tx);
        connection.commit();
        committed();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(connection, e);
        failed = e instanceof SQLException sql ? failure(what, sql) : (RuntimeException) e;
        throw failed;
      } finally {
        Transaction.close(statements, failed);
        restore(connection, autoCommit, failed);
      }
    } catch (SQLException e) {
      // Borrowing or returning the connection failed: nothing of the work ran, or it rolled back.
      throw failure(what, e);
    }
  }

  @Override
  void closeResources() {
    // The pool is the host's.
  }

  private static void rollback(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void restore(Connection connection, boolean autoCommit, RuntimeException failed) {
    try {
      connection.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      if (failed != null) {
        failed.addSuppressed(e);
      }
      // Otherwise the pool resets or discards a connection it finds in another state.
    }
  }
}
