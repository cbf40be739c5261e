package io.auditstream.jdbc;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.DestinationKinds;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Durable delivery for one host instance: a durable outbox ({@link #outbox()}, a {@link
 * io.auditstream.api.spi.DeliveryQueue}) and a destination store ({@link #destinations()}, a {@link
 * io.auditstream.api.spi.DestinationStore}) in one SQLite database, in a data folder the host names.
 * Embedded: one file, no server. A host opens it once and hands both to its streamer:
 *
 * <pre>{@code
 * EmbeddedStore store = EmbeddedStore.open(Path.of("/var/lib/myapp/audit-stream"), AuditEventJson::decode);
 * AuditStreamer streamer = AuditStreamer.builder()
 *     .destinationStore(store.destinations()).deliveryQueue(store.outbox()) ... .build();
 * }</pre>
 *
 * <p><b>Durability.</b> The database runs in WAL mode with {@code synchronous=FULL}: what an offer or a
 * save committed survives {@code kill -9} and a power loss.
 *
 * <p><b>On disk.</b> {@value #DATABASE_FILE} (and its write-ahead log) in the data folder, holding the
 * events not yet delivered, the dead letters, and the destinations with their verification tokens and
 * secrets <b>in plain text</b>: give the store a folder of its own, on a private volume. Where the file
 * system has POSIX permissions, {@code open} makes the folder {@code rwx------} and the files {@code
 * rw-------}. The schema is versioned ({@code schema_version}) and brought up to date by {@code open};
 * a database written by a newer version of the library is refused.
 *
 * <p><b>One process.</b> The database is held exclusively: a second process (or a second store in this
 * one) that opens the same folder is refused with an {@link AuditStreamException}. Several instances of
 * a host need a shared database instead (PostgreSQL).
 *
 * <p><b>Closing.</b> The database closes once both the outbox and the destination store are closed
 * (a streamer closes both), or with {@link #close()}.
 *
 * <p>Thread-safe; see {@link JdbcOutbox} for how its parts share the database.
 */
public final class EmbeddedStore implements AutoCloseable {
  /** The database file's name in the data folder. */
  public static final String DATABASE_FILE = "audit-stream.db";

  /** The default bound on the deliveries of one destination's backlog: 100,000. */
  public static final int DEFAULT_MAX_EVENTS_PER_DESTINATION = 100_000;

  /** The default bound on the payload bytes of one destination's backlog: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES_PER_DESTINATION = 256L * 1024 * 1024;

  /** How long a delivered row is kept by default: one hour. */
  public static final Duration DEFAULT_DELIVERED_RETENTION = Duration.ofHours(1);

  // Times are kept as nanoseconds in 64 bits: a longer retention could not be subtracted from them.
  private static final Duration MAX_DELIVERED_RETENTION = Duration.ofDays(365L * 100);

  private final Path databaseFile;
  private final int schemaVersion;
  private final JdbcOutbox outbox;
  private final JdbcDestinationStore destinations;

  private EmbeddedStore(Path databaseFile, int schemaVersion, JdbcOutbox outbox, JdbcDestinationStore destinations) {
    this.databaseFile = databaseFile;
    this.schemaVersion = schemaVersion;
    this.outbox = outbox;
    this.destinations = destinations;
  }

  /**
   * Opens the store in {@code dataDir} with the default bounds and retention, creating the folder and
   * the database when they do not exist.
   *
   * @param eventDecoder rebuilds an event from the payload the outbox stored: pass {@code
   *     AuditEventJson::decode} of {@code audit-stream-core}
   * @throws AuditStreamException when the folder cannot be created, the database cannot be opened or
   *     migrated, or another process holds it
   */
  public static EmbeddedStore open(Path dataDir, Function<byte[], AuditEvent> eventDecoder) {
    return builder(dataDir).eventDecoder(eventDecoder).open();
  }

  /** A builder for a store in {@code dataDir}; {@link Builder#eventDecoder} is required. */
  public static Builder builder(Path dataDir) {
    return new Builder(Objects.requireNonNull(dataDir, "dataDir"));
  }

  /** The durable outbox, to pass to the streamer as its delivery queue. */
  public JdbcOutbox outbox() {
    return outbox;
  }

  /** The destination store, to pass to the streamer. */
  public JdbcDestinationStore destinations() {
    return destinations;
  }

  /** The database file. */
  public Path databaseFile() {
    return databaseFile;
  }

  /** The schema version of the database, the newest this library knows. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /** Closes the outbox and the destination store, and so the database. Idempotent. */
  @Override
  public void close() {
    try {
      outbox.close();
    } finally {
      destinations.close();
    }
  }

  /** Builds an {@link EmbeddedStore}. Not thread-safe. */
  public static final class Builder {
    private final Path dataDir;
    private Function<byte[], AuditEvent> eventDecoder;
    private int maxEventsPerDestination = DEFAULT_MAX_EVENTS_PER_DESTINATION;
    private long maxBytesPerDestination = DEFAULT_MAX_BYTES_PER_DESTINATION;
    private Duration deliveredRetention = DEFAULT_DELIVERED_RETENTION;
    private DestinationKinds destinationKinds;
    private Clock clock = Clock.systemUTC();

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /**
     * Rebuilds an event from the payload the outbox stored; required. Pass {@code AuditEventJson::decode}
     * of {@code audit-stream-core}, which reads back what the engine encoded.
     */
    public Builder eventDecoder(Function<byte[], AuditEvent> eventDecoder) {
      this.eventDecoder = eventDecoder;
      return this;
    }

    /** The most deliveries one destination's backlog holds; default {@value #DEFAULT_MAX_EVENTS_PER_DESTINATION}. */
    public Builder maxEventsPerDestination(int max) {
      this.maxEventsPerDestination = max;
      return this;
    }

    /** The most payload bytes one destination's backlog holds; default 256 MiB. */
    public Builder maxBytesPerDestination(long max) {
      this.maxBytesPerDestination = max;
      return this;
    }

    /**
     * How long a delivered row is kept (an offer of the same event to the same destination meanwhile is
     * recognised as a duplicate); {@link Duration#ZERO} deletes it at once. Default one hour.
     */
    public Builder deliveredRetention(Duration retention) {
      this.deliveredRetention = retention;
      return this;
    }

    /**
     * The destination kinds the store reads configs with; default {@link DestinationKinds#discover()}. A
     * destination of a kind they do not know is kept intact.
     */
    public Builder destinationKinds(DestinationKinds kinds) {
      this.destinationKinds = kinds;
      return this;
    }

    /** What stamps deliveries as delivered and ends their retention; default the system clock (UTC). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Opens the store: creates the folder and the database if needed, brings the schema up to date,
     * and reads each destination's backlog.
     *
     * @throws IllegalArgumentException naming the setting that breaks its rule
     * @throws AuditStreamException when the folder cannot be created, the database cannot be opened or
     *     migrated, or another process holds it
     */
    public EmbeddedStore open() {
      if (eventDecoder == null) {
        throw new IllegalArgumentException("eventDecoder is required (pass AuditEventJson::decode)");
      }
      if (maxEventsPerDestination < 1) {
        throw new IllegalArgumentException(
            "maxEventsPerDestination must be at least 1 (was " + maxEventsPerDestination + ")");
      }
      if (maxBytesPerDestination < 1) {
        throw new IllegalArgumentException(
            "maxBytesPerDestination must be at least 1 (was " + maxBytesPerDestination + ")");
      }
      if (deliveredRetention == null || deliveredRetention.isNegative()
          || deliveredRetention.compareTo(MAX_DELIVERED_RETENTION) > 0) {
        throw new IllegalArgumentException("deliveredRetention must be zero to 100 years (was " + deliveredRetention
            + ")");
      }
      Objects.requireNonNull(clock, "clock");
      DestinationKinds kinds = destinationKinds != null ? destinationKinds : DestinationKinds.discover();
      Path file = DataFolder.prepare(dataDir, DATABASE_FILE);
      SqliteDialect dialect = new SqliteDialect();
      Database db = connect(dialect, file);
      try {
        int version = SchemaMigrations.apply(db, clock);
        JdbcOutbox outbox = new JdbcOutbox(db, new OutboxSettings(eventDecoder, maxEventsPerDestination,
            maxBytesPerDestination, deliveredRetention, clock));
        return new EmbeddedStore(file, version, outbox, new JdbcDestinationStore(db, new DestinationColumns(kinds)));
      } catch (RuntimeException e) {
        db.closeAfterFailure(e);
        throw e;
      }
    }

    private static Database connect(SqliteDialect dialect, Path file) {
      String location = file.toString();
      Connection connection;
      try {
        connection = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new java.util.Properties());
      } catch (SQLException e) {
        throw new AuditStreamException("cannot open SQLite database " + location + ": " + e.getMessage(), e);
      }
      try {
        dialect.configure(connection);
        // Two users: the outbox and the destination store.
        return new Database(connection, dialect, location, 2);
      } catch (SQLException e) {
        try {
          connection.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
        if (dialect.isLockedByAnother(e)) {
          throw new AuditStreamException("cannot open SQLite database " + location
              + ": another process (or another store in this one) holds it; one host instance per data folder", e);
        }
        throw new AuditStreamException("cannot open SQLite database " + location + ": " + e.getMessage(), e);
      }
    }
  }
}
