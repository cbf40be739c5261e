package io.auditstream.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Database} on one connection, and the lock that serialises its use: every unit of work runs
 * under the lock, with prepared statements kept for the connection's life. SQLite writes one
 * transaction at a time anyway, so one connection loses nothing, and each unit of work is short (no
 * network, a bounded number of rows).
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
final class SingleConnectionDatabase extends Database {
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Transaction tx;

  /**
   * Takes over {@code connection}, which {@code dialect} has configured, for {@code users} users.
   *
   * @throws SQLException when the connection cannot leave auto-commit
   */
  SingleConnectionDatabase(Connection connection, Dialect dialect, String location, int users) throws SQLException {
    super(dialect, location, users);
    this.connection = connection;
    connection.setAutoCommit(false);
    this.tx = new Transaction(connection, dialect, statements);
  }

  @Override
  <T> T transaction(String what, Work<T> work) {
    lock.lock();
    try {
      ensureOpen();
      try {
        T result = work.run(tx);
        connection.commit();
        committed();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(e);
        if (e instanceof SQLException sql) {
          throw failure(what, sql);
        }
        throw (RuntimeException) e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void closeResources() {
    lock.lock();
    try {
      Transaction.close(statements, null);
      connection.close();
    } catch (SQLException e) {
      throw failure("close", e);
    } finally {
      lock.unlock();
    }
  }

  private void rollback(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
