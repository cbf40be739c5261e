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

  /** Runs {@code sql} with its {@code ?} parameters bound to {@code values}, as text. */
  static int update(Path dataDir, String sql, String... values) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dataDir));
        java.sql.PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setString(i + 1, values[i]);
      }
      return s.executeUpdate();
    }
  }

  static void execute(Path dataDir, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(dataDir)); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * The secrets of destination {@code id} as stored, opened with the key file the store generated in
   * {@code dataDir}, as an operator holding that file could.
   */
  static com.fasterxml.jackson.databind.JsonNode openSecrets(Path dataDir, String id) throws Exception {
    String sealed = column(dataDir, "SELECT secrets FROM destinations WHERE id = '" + id + "'").get(0);
    io.auditstream.api.spi.SecretKeys keys =
        io.auditstream.core.secrets.SecretKeyFile.loadOrCreate(dataDir.resolve(EmbeddedStore.KEY_FILE));
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        io.auditstream.core.secrets.SecretsCipher.of(keys).decrypt(io.auditstream.api.destination.DestinationId.of(id),
            sealed));
  }

  private static String url(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve(EmbeddedStore.DATABASE_FILE);
  }
}
