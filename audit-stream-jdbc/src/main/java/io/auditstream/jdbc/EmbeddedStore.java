package io.auditstream.jdbc;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.core.secrets.SecretKeyFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
 * events not yet delivered, the dead letters, and the destinations, their verification tokens and
 * secrets encrypted with AES-256-GCM under the keys the host gives ({@link Builder#secretKeys}). A host
 * that gives none gets a key generated on first use into {@value #KEY_FILE} in the data folder ({@code
 * rw-------} from its creation; logged once at INFO with its path): back it up with the database, since
 * the secrets cannot be read without it, and give the store a folder of its own, on a private volume.
 * Where the file system has POSIX permissions, {@code open} makes the folder {@code rwx------} and the
 * files {@code rw-------}. A database of schema version 3 or older has its secrets encrypted by the first
 * {@code open}. The schema is versioned ({@code schema_version}) and brought up to date by {@code open};
 * a database written by a newer version of the library is refused.
 *
 * <p><b>One process.</b> The database is held exclusively: a second process (or a second store in this
 * one) that opens the same folder is refused with an {@link AuditStreamException}. Several instances of
 * a host need a shared database instead: {@link PostgresStore}.
 *
 * <p><b>Closing.</b> The database closes once both the outbox and the destination store are closed
 * (a streamer closes both), or with {@link #close()}.
 *
 * <p>Thread-safe; see {@link JdbcOutbox} for how its parts share the database.
 */
public final class EmbeddedStore extends JdbcStore {
  /** The database file's name in the data folder. */
  public static final String DATABASE_FILE = "audit-stream.db";

  /** The key file's name in the data folder, generated when the host gives no {@link Builder#secretKeys}. */
  public static final String KEY_FILE = "secrets.key";

  /** The default bound on the deliveries of one destination's backlog: 100,000. */
  public static final int DEFAULT_MAX_EVENTS_PER_DESTINATION = 100_000;

  /** The default bound on the payload bytes of one destination's backlog: 256 MiB. */
  public static final long DEFAULT_MAX_BYTES_PER_DESTINATION = 256L * 1024 * 1024;

  /** How long a delivered row is kept by default: one hour. */
  public static final Duration DEFAULT_DELIVERED_RETENTION = Duration.ofHours(1);

  private final Path databaseFile;

  private EmbeddedStore(Path databaseFile, StoreParts parts) {
    super(parts);
    this.databaseFile = databaseFile;
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

  /** The database file. */
  public Path databaseFile() {
    return databaseFile;
  }

  /**
   * Builds an {@link EmbeddedStore}: the settings every store has ({@link #eventDecoder} required, the
   * bounds, the retention, the destination kinds, the clock, the secrets' keys). Not thread-safe.
   */
  public static final class Builder extends StoreBuilder<Builder> {
    private final Path dataDir;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Opens the store: creates the folder and the database if needed (and the key file, when no keys
     * were given and it does not exist), brings the schema up to date, and reads each destination's
     * backlog.
     *
     * @throws IllegalArgumentException naming the setting that breaks its rule
     * @throws AuditStreamException when the folder cannot be created, the database cannot be opened or
     *     migrated, another process holds it, or the key file cannot be read or created
     */
    public EmbeddedStore open() {
      OutboxSettings settings = outboxSettings();
      Path file = DataFolder.prepare(dataDir, DATABASE_FILE);
      Database db = connect(new SqliteDialect(), file);
      // Read or generated while this process holds the database: no other one generates it at once.
      Path keyFile = file.resolveSibling(KEY_FILE);
      return new EmbeddedStore(file, open(db, settings, new ExclusiveClaims(), Duration.ZERO,
          () -> SecretKeyFile.loadOrCreate(keyFile)));
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
        return new SingleConnectionDatabase(connection, dialect, location, 2);
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
