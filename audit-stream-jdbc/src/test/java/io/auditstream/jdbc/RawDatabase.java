package io.auditstream.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes a closed store's database file directly, as an operator with the sqlite3 shell would. */
final class RawDatabase {
  private RawDatabase() {}

  /** The first column of every row {@code sql} selects, as text. */
  static List<String> column(Path dataDir, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dataDir)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  static void execute(Path dataDir, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dataDir)); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String url(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve(EmbeddedStore.DATABASE_FILE);
  }
}
