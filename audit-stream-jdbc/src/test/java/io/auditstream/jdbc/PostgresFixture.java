package io.auditstream.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started once per test JVM on first use and stopped when the
 * JVM exits; each test takes a schema of its own ({@link #freshSchema()}) and reaches the server through
 * pools of its own, as host instances do.
 */
final class PostgresFixture {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private PostgresFixture() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
      }
    }
    return server;
  }

  /** A schema name no other test of this JVM uses; the store creates it. */
  static String freshSchema() {
    return "t" + SCHEMAS.incrementAndGet();
  }

  /** The JDBC URL of the server, with its user and bounded waits; for pools and for child JVMs. */
  static String jdbcUrl() {
    // Every wait on the server is bounded: the socket, a connection.
    return server().getJdbcUrl("postgres", "postgres") + "&socketTimeout=30&connectTimeout=10";
  }

  /** A pool of at most {@code size} connections to the server; the caller closes it. */
  static HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    // A lock is waited for with a bound too.
    config.setJdbcUrl(jdbcUrl());
    config.setConnectionInitSql("SET lock_timeout = '20s'");
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  /** The first column of the first row {@code sql} selects, as a number. */
  static long number(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
