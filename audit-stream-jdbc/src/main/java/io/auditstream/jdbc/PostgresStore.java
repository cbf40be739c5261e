package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Durable delivery for a host that runs as several instances: the outbox ({@link #outbox()}, a {@link
 * io.auditstream.api.spi.DeliveryQueue}) and the destination store ({@link #destinations()}, a {@link
 * io.auditstream.api.spi.DestinationStore}) in one PostgreSQL database that every instance shares.
 * Destinations are shared, delivery work is shared, and nothing accepted is lost when an instance dies.
 * The PostgreSQL counterpart of {@link EmbeddedStore}; each instance opens one:
 *
 * <pre>{@code
 * PostgresStore store = PostgresStore.builder(dataSource)   // the host's pool
 *     .schema("audit_stream")
 *     .eventDecoder(AuditEventJson::decode)
 *     .secretKeys(SecretKeys.parse(keysFromYourVault))     // "keyId:base64Key", the same on every instance
 *     .instanceId("host-a")
 *     .open();
 * AuditStreamer streamer = AuditStreamer.builder()
 *     .destinationStore(store.destinations()).deliveryQueue(store.outbox()) ... .build();
 * }</pre>
 *
 * <p><b>Connections.</b> The store takes a {@link DataSource}, normally the host's connection pool, and
 * needs nothing but {@code java.sql}: the host brings the PostgreSQL driver (for example {@code
 * org.postgresql:postgresql}) and configures the URL ({@code jdbc:postgresql://host:5432/app}), the
 * user, the password and the pool. Each call of the outbox or the destination store borrows one
 * connection for one short transaction (no network call is made while it is held) and returns it;
 * calls run concurrently, so a pool of a few connections per instance for audit-stream is enough. The
 * store turns auto-commit off for its transaction and restores it, and sets the schema with {@code SET
 * LOCAL search_path}, which ends with the transaction: the connection goes back to the pool as it came.
 * Leave the driver's {@code reWriteBatchedInserts} off: the outbox needs the row counts of its batches.
 * The store never closes the data source.
 *
 * <p><b>Schema and permissions.</b> Every table lives in one schema ({@link Builder#schema}, default
 * {@value #DEFAULT_SCHEMA}), created by {@link Builder#open()} when it is missing and brought to the
 * newest version this library knows (recorded in its {@code schema_version} table); a schema written by
 * a newer version of the library is refused. The database user needs either the {@code CREATE}
 * privilege on the database (to create the schema), or a schema created beforehand and owned by the
 * user (it then creates the tables in it). Instances that start at the same moment migrate one after
 * the other, under an advisory lock. The {@code destinations} table holds verification tokens and
 * destination secrets encrypted with AES-256-GCM under the keys the host gives ({@link
 * Builder#secretKeys}, required: every instance gets the same ones); still, grant nobody else access to
 * the schema. Schema version 2 encrypts the rows of a version 1 schema. Transactional
 * outbox: the host's own user needs {@code INSERT} on {@code <schema>.event_inbox} (and {@code USAGE}
 * on the schema) when it is not the store's.
 *
 * <p><b>Several instances.</b> Give each instance a stable {@link Builder#instanceId}. Deliveries are
 * leased in its name for {@link Builder#leaseDuration}: one instance at a time works a destination,
 * in order; when an instance dies, its leases expire and another instance takes them over (the
 * deliveries in flight at the crash may then be delivered twice; receivers deduplicate on the event
 * id). An instance that restarts with the same id gets its own leases back at once. Destination changes
 * made through one instance are counted ({@link JdbcDestinationStore#changeCount()}) so that the
 * others pick them up within their poll, and a group's changes are made under the group's lock. Each
 * destination's bounds ({@link Builder#maxEventsPerDestination}, {@link
 * Builder#maxBytesPerDestination}) are checked against counts that each instance reads again about once
 * a second, so across instances they hold approximately: a backlog may pass its bound by what the
 * instances offer within that second.
 *
 * <p><b>Failover.</b> A transaction that fails (the primary went away, a connection broke, a
 * serialisation or deadlock error) is rolled back and throws an {@link AuditStreamException}: nothing of
 * that call is stored. The engine polls and leases again later; an offer that failed is not retried: its
 * events are dropped, counted and reported, and their {@code submit} futures fail. While the database is
 * away every call waits for the pool's connection timeout first. Deliveries leased by an instance that
 * lost its database are leased again by whichever instance reaches the database once their leases
 * expire. The pool is what reconnects after a failover.
 *
 * <p><b>Closing.</b> {@link #close()} closes the outbox and the destination store (a streamer closes
 * both), not the data source.
 *
 * <p>Thread-safe; see {@link JdbcOutbox}.
 */
public final class PostgresStore extends JdbcStore {
  /** The schema the tables are in by default. */
  public static final String DEFAULT_SCHEMA = "audit_stream";

  /** How long a lease lasts by default: 60 seconds. */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(60);

  /** How often the engine looks for work of other instances by default: every second. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  // An unquoted PostgreSQL identifier, lower case, within its 63 bytes.
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int MAX_INSTANCE_ID = 200;

  private final String schema;
  private final String instanceId;

  private PostgresStore(String schema, String instanceId, StoreParts parts) {
    super(parts);
    this.schema = schema;
    this.instanceId = instanceId;
  }

  /** A builder for a store reached through {@code dataSource}; {@link Builder#eventDecoder} is required. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The schema the tables are in. */
  public String schema() {
    return schema;
  }

  /** The name this instance's leases are taken in. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Builds a {@link PostgresStore}: where its tables are and how this instance takes part, beside the
   * settings every store has ({@link #eventDecoder} and {@link #secretKeys} required, the bounds, the
   * retention, the destination kinds, the clock, which also times the leases). Not thread-safe.
   */
  public static final class Builder extends StoreBuilder<Builder> {
    private final DataSource dataSource;
    private String schema = DEFAULT_SCHEMA;
    private String instanceId;
    private Duration leaseDuration = DEFAULT_LEASE_DURATION;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * The schema of the store's tables: a lower-case SQL identifier (letters, digits and underscores, not
     * starting with a digit, at most 63 characters); default {@value #DEFAULT_SCHEMA}.
     */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /**
     * The name of this instance, which its leases are taken in: stable across restarts, so that a
     * restarted instance takes its own leases back at once, and different for every instance sharing the
     * database; at most 200 characters. Default: a random one, so the leases of a previous run are taken
     * over only when they expire.
     */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    /**
     * How long a lease lasts: after it, deliveries that an instance leased and did not finish are leased
     * again by another (its instance died, or lost the database). Longer than a delivery attempt takes;
     * one second to one day; default 60 seconds.
     */
    public Builder leaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
      return this;
    }

    /**
     * How often the engine looks for deliveries that other instances offered or left leased, and for
     * events that host transactions appended; one millisecond to one hour; default one second.
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * Opens the store: creates the schema if needed, brings it up to date, and reads each destination's
     * backlog.
     *
     * @throws IllegalStateException when no {@link #secretKeys} were given
     * @throws IllegalArgumentException naming the setting that breaks its rule
     * @throws AuditStreamException when the database cannot be reached or migrated
     */
    public PostgresStore open() {
      OutboxSettings settings = outboxSettings();
      if (secretKeys() == null) {
        // No key file here: instances on several machines would each generate a key of their own.
        throw new IllegalStateException("secretKeys is required with PostgreSQL: give every instance the same"
            + " AES-256 key (for example PostgresStore.builder(pool).secretKeys(SecretKeys.parse(keysFromYourVault)),"
            + " keys written as keyId:base64Key); destination secrets are encrypted at rest with it");
      }
      if (schema == null || !SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must be a lower-case SQL identifier: letters, digits and"
            + " underscores, not starting with a digit, 1 to 63 characters (was " + schema + ")");
      }
      String id = instanceId != null ? instanceId : UUID.randomUUID().toString();
      if (id.isBlank() || id.length() > MAX_INSTANCE_ID) {
        throw new IllegalArgumentException("instanceId must be 1 to " + MAX_INSTANCE_ID
            + " characters, not blank (was " + id.length() + " characters)");
      }
      requireBetween("leaseDuration", leaseDuration, Duration.ofSeconds(1), Duration.ofDays(1));
      requireBetween("pollInterval", pollInterval, Duration.ofMillis(1), Duration.ofHours(1));
      // Two users: the outbox and the destination store.
      Database db = new DataSourceDatabase(dataSource, new PostgresDialect(schema), "(schema " + schema + ")", 2);
      StoreParts parts = open(db, settings, new SharedClaims(schema, id, leaseDuration), pollInterval, () -> {
        throw new IllegalStateException("secretKeys is required with PostgreSQL");
      });
      return new PostgresStore(schema, id, parts);
    }

    private static void requireBetween(String name, Duration value, Duration min, Duration max) {
      if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be " + min + " to " + max + " (was " + value + ")");
      }
    }
  }
}
