package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to the store's database, shared by the outbox and the destination store, and the
 * lock that serialises its use: every unit of work runs under the lock in a transaction of its own,
 * with prepared statements kept for the connection's life. SQLite writes one transaction at a time
 * anyway, so one connection loses nothing, and each unit of work is short (no network, a bounded
 * number of rows).
 *
 * <p>The connection is closed when the last of its users {@link #release() releases} it.
 *
 * <p>Thread-safe. Internal; may change without notice.
 */
final class Database {
  /** A unit of work on the connection, run in a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Database db) throws SQLException;
  }

  private final Connection connection;
  private final Dialect dialect;
  private final String location;
  private final ReentrantLock lock = new ReentrantLock();
  // guarded by lock
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private int users;
  private long commits;

  /**
   * Takes over {@code connection}, which {@code dialect} has configured, for {@code users} users.
   *
   * @throws SQLException when the connection cannot leave auto-commit
   */
  Database(Connection connection, Dialect dialect, String location, int users) throws SQLException {
    this.connection = connection;
    this.dialect = dialect;
    this.location = location;
    this.users = users;
    connection.setAutoCommit(false);
  }

  Dialect dialect() {
    return dialect;
  }

  /** Where the database is, for messages. */
  String location() {
    return location;
  }

  /**
   * Runs {@code work} in one transaction and commits it; rolls it back when it throws.
   *
   * @param what what the work does, for the message of a failure ("offer deliveries")
   * @throws AuditStreamException naming {@code what} and the database when the database fails;
   *     nothing of the work is then stored
   * @throws IllegalStateException when the connection was closed
   */
  <T> T transaction(String what, Work<T> work) {
    lock.lock();
    try {
      if (users == 0) {
        throw new IllegalStateException("the database " + location + " is closed");
      }
      try {
        T result = work.run(this);
        connection.commit();
        commits++;
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

  /**
   * Runs {@code work} under the lock, without a transaction: for what is kept in memory beside the
   * database.
   *
   * @throws IllegalStateException when the connection was closed
   */
  <T> T locked(java.util.function.Supplier<T> work) {
    lock.lock();
    try {
      if (users == 0) {
        throw new IllegalStateException("the database " + location + " is closed");
      }
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  /** The prepared statement for {@code sql}, prepared once; only to be used inside {@link #transaction}. */
  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement s = statements.get(sql);
    if (s == null) {
      s = connection.prepareStatement(sql);
      statements.put(sql, s);
    }
    return s;
  }

  /** Runs a statement without parameters (DDL); only to be used inside {@link #transaction}. */
  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /** The value of a database setting ({@code PRAGMA name} in SQLite); for tests. */
  String setting(String pragma) {
    return transaction("read a setting", d -> {
      try (Statement s = connection.createStatement();
          java.sql.ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
        return rs.next() ? rs.getString(1) : null;
      }
    });
  }

  /** How many transactions committed since the database was opened. */
  long commits() {
    lock.lock();
    try {
      return commits;
    } finally {
      lock.unlock();
    }
  }

  /** One user is done with the database; the last one closes the connection. */
  void release() {
    lock.lock();
    try {
      if (users == 0) {
        return;
      }
      users--;
      if (users == 0) {
        closeConnection();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Closes the connection whoever still uses it, after {@code cause} made opening fail. */
  void closeAfterFailure(RuntimeException cause) {
    lock.lock();
    try {
      if (users > 0) {
        users = 0;
        closeConnection();
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    } finally {
      lock.unlock();
    }
  }

  AuditStreamException failure(String what, SQLException e) {
    // SQLite's and the driver's messages name tables and constraints, never values or payloads.
    return new AuditStreamException("cannot " + what + " in " + dialect.name() + " database " + location + ": "
        + e.getMessage(), e);
  }

  private void rollback(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void closeConnection() {
    for (PreparedStatement s : statements.values()) {
      try {
        s.close();
      } catch (SQLException e) {
        // The connection is closed next, which frees what a statement held.
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      throw failure("close", e);
    }
  }
}
