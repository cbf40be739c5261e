package io.auditstream.spring;

import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.jdbc.PostgresStore;
import java.util.Objects;
import java.util.Optional;

/**
 * The store the auto-configured streamer keeps its destinations and undelivered events in, as {@code
 * audit-stream.store.type} chose it: the embedded database, the application's PostgreSQL, or none (in
 * memory). A bean of its own, so that it closes after the streamer that uses it; declare one to choose
 * the store yourself.
 *
 * <p>Thread-safe as the stores it holds are.
 */
public final class AuditStreamStore implements AutoCloseable {
  private final StoreProperties.StoreType type;
  private final DestinationStore destinations;
  private final DeliveryQueue outbox;
  // What closing the store closes: the database and its connections, or nothing (in memory).
  private final Runnable database;

  private AuditStreamStore(StoreProperties.StoreType type, DestinationStore destinations, DeliveryQueue outbox,
      Runnable database) {
    this.type = type;
    this.destinations = destinations;
    this.outbox = outbox;
    this.database = database;
  }

  /** The embedded store. */
  public static AuditStreamStore of(EmbeddedStore store) {
    Objects.requireNonNull(store, "store");
    return new AuditStreamStore(StoreProperties.StoreType.EMBEDDED, store.destinations(), store.outbox(), store::close);
  }

  /** The PostgreSQL store. */
  public static AuditStreamStore of(PostgresStore store) {
    Objects.requireNonNull(store, "store");
    return new AuditStreamStore(StoreProperties.StoreType.POSTGRES, store.destinations(), store.outbox(), store::close);
  }

  /** No store: the streamer keeps destinations and its queue in memory. */
  public static AuditStreamStore inMemory() {
    return new AuditStreamStore(StoreProperties.StoreType.MEMORY, null, null, () -> { });
  }

  /** Which store this is. */
  public StoreProperties.StoreType type() {
    return type;
  }

  /** The destination store, unless in memory (the streamer's default then). */
  public Optional<DestinationStore> destinations() {
    return Optional.ofNullable(destinations);
  }

  /** The durable delivery queue, unless in memory (the streamer's default then). */
  public Optional<DeliveryQueue> outbox() {
    return Optional.ofNullable(outbox);
  }

  /** Closes the database, if any. Idempotent. */
  @Override
  public void close() {
    database.run();
  }

  @Override
  public String toString() {
    return "AuditStreamStore[" + type.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }
}
