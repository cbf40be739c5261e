package io.auditstream.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * One transaction of a {@link Database}, as a unit of work sees it: the statements it runs and the
 * dialect of the database. It is valid only inside the {@link Database#transaction} call that handed
 * it out, on that call's thread; the database commits or rolls it back when the work returns.
 *
 * <p>Not thread-safe. Internal; may change without notice.
 */
final class Transaction {
  private final Connection connection;
  private final Dialect dialect;
  private final Map<String, PreparedStatement> statements;

  /**
   * A transaction on {@code connection}, whose prepared statements are kept in {@code statements}: a
   * map that outlives the transaction where the connection is kept (SQLite), or one of its own that
   * the database closes with it (a pooled connection).
   */
  Transaction(Connection connection, Dialect dialect, Map<String, PreparedStatement> statements) {
    this.connection = connection;
    this.dialect = dialect;
    this.statements = statements;
  }

  Dialect dialect() {
    return dialect;
  }

  /** The prepared statement for {@code sql}, prepared once for as long as the statements are kept. */
  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement s = statements.get(sql);
    if (s == null) {
      s = connection.prepareStatement(sql);
      statements.put(sql, s);
    }
    return s;
  }

  /** Runs a statement without parameters (DDL, a setting). */
  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /** An SQL array of text values, for a statement's {@code = ANY (?)}. */
  java.sql.Array textArray(java.util.Collection<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray());
  }

  /** Closes the statements it prepared; for a database that keeps none beyond a transaction. */
  static void close(Map<String, PreparedStatement> statements, Exception pending) {
    for (PreparedStatement s : statements.values()) {
      try {
        s.close();
      } catch (SQLException e) {
        if (pending != null) {
          pending.addSuppressed(e);
        }
        // Otherwise the connection's end frees what the statement held.
      }
    }
    statements.clear();
  }
}
