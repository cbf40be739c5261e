package io.auditstream.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server of one test's own, on a fixed data directory and port, that the test stops (as a
 * failover takes the primary away) and starts again with everything it had committed. Not thread-safe.
 */
final class RestartablePostgres implements AutoCloseable {
  /** How long a pool waits for a connection while the server is away: every call of the store fails after it. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres server;

  private RestartablePostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  /** Creates a database in {@code dataDirectory} and starts a server on it, on a free port. */
  static RestartablePostgres start(Path dataDirectory) {
    RestartablePostgres pg = new RestartablePostgres(dataDirectory, freePort());
    pg.startAgain();
    return pg;
  }

  /** Starts the server on the same data directory and port (after {@link #stop()}). */
  void startAgain() {
    if (server != null) {
      throw new IllegalStateException("the server is running");
    }
    try {
      server = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
          .setPort(port).setPGStartupWait(Duration.ofSeconds(30)).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the PostgreSQL server on " + dataDirectory, e);
    }
  }

  /** Stops the server (a fast shutdown: its connections are cut); the data directory stays. */
  void stop() {
    EmbeddedPostgres s = server;
    server = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the PostgreSQL server", e);
      }
    }
  }

  /** The JDBC URL, with the user and bounded waits on the socket and on connecting. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&socketTimeout=10&connectTimeout=2";
  }

  /**
   * A pool as a host configures one: at most {@code size} connections, and a bounded wait for one
   * ({@link #CONNECTION_TIMEOUT}), which is how long a call waits while the server is away.
   */
  HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.setConnectionInitSql("SET lock_timeout = '10s'");
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(500);
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }
}
