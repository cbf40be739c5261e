package io.auditstream.jdbc;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.secrets.SecretsCipher;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The settings that every store's builder has (the decoder, the bounds, the retention, the destination
 * kinds, the clock), their defaults, their checks, and the opening of a store's parts in a database.
 * {@link EmbeddedStore.Builder} and {@link PostgresStore.Builder} add where the database is.
 *
 * <p>Not thread-safe. Internal; may change without notice.
 *
 * @param <B> the builder's own type, which each setting returns
 */
abstract class StoreBuilder<B extends StoreBuilder<B>> {
  // Times are kept as nanoseconds in 64 bits: a longer retention could not be subtracted from them.
  private static final Duration MAX_DELIVERED_RETENTION = Duration.ofDays(365L * 100);

  private Function<byte[], AuditEvent> eventDecoder;
  private int maxEventsPerDestination = EmbeddedStore.DEFAULT_MAX_EVENTS_PER_DESTINATION;
  private long maxBytesPerDestination = EmbeddedStore.DEFAULT_MAX_BYTES_PER_DESTINATION;
  private Duration deliveredRetention = EmbeddedStore.DEFAULT_DELIVERED_RETENTION;
  private DestinationKinds destinationKinds;
  private Clock clock = Clock.systemUTC();
  private SecretKeys secretKeys;

  StoreBuilder() {}

  /** This builder, as its own type. */
  abstract B self();

  /**
   * Rebuilds an event from the payload the outbox stored; required. Pass {@code AuditEventJson::decode}
   * of {@code audit-stream-core}, which reads back what the engine encoded, also what an earlier version
   * encoded under its looser rules. A decoder of the host's own should rebuild events with {@link
   * AuditEvent#storedBuilder()} for the same reason: one it cannot rebuild becomes a dead letter.
   */
  public B eventDecoder(Function<byte[], AuditEvent> eventDecoder) {
    this.eventDecoder = eventDecoder;
    return self();
  }

  /**
   * The most deliveries one destination's backlog holds; default {@value
   * EmbeddedStore#DEFAULT_MAX_EVENTS_PER_DESTINATION}.
   */
  public B maxEventsPerDestination(int max) {
    this.maxEventsPerDestination = max;
    return self();
  }

  /** The most payload bytes one destination's backlog holds; default 256 MiB. */
  public B maxBytesPerDestination(long max) {
    this.maxBytesPerDestination = max;
    return self();
  }

  /**
   * How long a delivered row is kept (an offer of the same event to the same destination meanwhile is
   * recognised as a duplicate); {@link Duration#ZERO} deletes it at once. Default one hour.
   */
  public B deliveredRetention(Duration retention) {
    this.deliveredRetention = retention;
    return self();
  }

  /**
   * The destination kinds the store reads configs with; default {@link DestinationKinds#discover()}. A
   * destination of a kind they do not know is kept intact.
   */
  public B destinationKinds(DestinationKinds kinds) {
    this.destinationKinds = kinds;
    return self();
  }

  /** What stamps deliveries as delivered and ends their retention; default the system clock (UTC). */
  public B clock(Clock clock) {
    this.clock = clock;
    return self();
  }

  /**
   * The keys that encrypt destination secrets at rest (AES-256-GCM): the current one encrypts every row
   * written, older ones still decrypt rows written before a rotation ({@link
   * JdbcDestinationStore#reencryptSecrets()}). Every instance sharing a database needs the same keys.
   * Required for {@link PostgresStore}; an {@link EmbeddedStore} without them uses the key file it
   * generates in its data folder.
   */
  public B secretKeys(SecretKeys keys) {
    this.secretKeys = Objects.requireNonNull(keys, "keys");
    return self();
  }

  /** The keys the host gave; null when it gave none. */
  final SecretKeys secretKeys() {
    return secretKeys;
  }

  final Clock clock() {
    return clock;
  }

  /**
   * The outbox's settings, checked.
   *
   * @throws IllegalArgumentException naming the setting that breaks its rule
   * @throws NullPointerException when the clock is null
   */
  final OutboxSettings outboxSettings() {
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
    return new OutboxSettings(eventDecoder, maxEventsPerDestination, maxBytesPerDestination, deliveredRetention,
        clock);
  }

  /**
   * Brings the schema of {@code db} up to date and opens the outbox and the destination store in it,
   * with the host's keys or, when it gave none, {@code defaultKeys}; closes the database when any of that
   * fails.
   */
  final StoreParts open(Database db, OutboxSettings settings, LeaseClaims claims, Duration pollInterval,
      Supplier<SecretKeys> defaultKeys) {
    try {
      DestinationKinds kinds = destinationKinds != null ? destinationKinds : DestinationKinds.discover();
      SecretsCipher cipher = SecretsCipher.of(secretKeys != null ? secretKeys : defaultKeys.get());
      int version = SchemaMigrations.apply(db, clock, cipher);
      JdbcOutbox outbox = new JdbcOutbox(db, settings, claims, pollInterval);
      return new StoreParts(version, outbox, new JdbcDestinationStore(db, new DestinationColumns(kinds, cipher)));
    } catch (RuntimeException e) {
      db.closeAfterFailure(e);
      throw e;
    }
  }
}
