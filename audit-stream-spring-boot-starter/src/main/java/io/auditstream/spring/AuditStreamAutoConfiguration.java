package io.auditstream.spring;

import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.EventTypeCatalogs;
import io.auditstream.core.RetryPolicy;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.jdbc.PostgresStore;
import io.auditstream.spring.StoreProperties.Postgres;
import io.auditstream.spring.AuditStreamProperties.Retry;
import io.auditstream.spring.StoreProperties;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;

/**
 * Configures an {@link AuditStreamer} from the {@code audit-stream.*} properties ({@link
 * AuditStreamProperties}), on the store they name ({@link AuditStreamStore}), with the application's
 * {@link AccessPolicy} bean (required: without one the application does not start, and says what to
 * add), and its {@link DeliveryListener} and {@link EventTypeCatalog} beans when it has them. {@link
 * AuditStreamerCustomizer} beans adjust the rest. The streamer is closed when the application context
 * closes (delivering what it can within {@code audit-stream.close-timeout}), then the store.
 *
 * <p>Off with {@code audit-stream.enabled=false}; each bean backs off when the application declares its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "audit-stream.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AuditStreamProperties.class)
public class AuditStreamAutoConfiguration {

  /** The store {@code audit-stream.store.type} names; closed after the streamer. */
  @Bean
  @ConditionalOnMissingBean
  public AuditStreamStore auditStreamStore(AuditStreamProperties properties, ObjectProvider<DataSource> dataSource) {
    StoreProperties store = properties.getStore();
    Optional<SecretKeys> keys = Optional.ofNullable(properties.getSecretKeys()).filter(s -> !s.isBlank())
        .map(SecretKeys::parse);
    return switch (store.getType()) {
      case MEMORY -> AuditStreamStore.inMemory();
      case EMBEDDED -> {
        EmbeddedStore.Builder b = EmbeddedStore.builder(store.getDataDir()).eventDecoder(AuditEventJson::decode);
        set(store.getMaxEventsPerDestination(), b::maxEventsPerDestination);
        set(store.getMaxBytesPerDestination(), size -> b.maxBytesPerDestination(size.toBytes()));
        set(store.getDeliveredRetention(), b::deliveredRetention);
        keys.ifPresent(b::secretKeys);
        yield AuditStreamStore.of(b.open());
      }
      case POSTGRES -> {
        DataSource ds = dataSource.getIfUnique();
        if (ds == null) {
          throw new AuditStreamSetupException(
              "audit-stream.store.type=postgres keeps the streamer's data in the application's DataSource, and the"
                  + " application has no single DataSource bean.",
              "Configure spring.datasource.* (with a PostgreSQL driver on the classpath), or set"
                  + " audit-stream.store.type=embedded.");
        }
        if (keys.isEmpty()) {
          throw new AuditStreamSetupException(
              "The PostgreSQL store encrypts destination secrets with keys that every instance shares, and"
                  + " audit-stream.secret-keys is not set.",
              "Set audit-stream.secret-keys to keyId:base64Key (a 32-byte AES key; for example from an"
                  + " environment variable: audit-stream.secret-keys=${AUDIT_STREAM_SECRET_KEYS}).");
        }
        Postgres pg = store.getPostgres();
        PostgresStore.Builder b = PostgresStore.builder(ds).eventDecoder(AuditEventJson::decode).secretKeys(keys.get());
        set(pg.getSchema(), b::schema);
        set(pg.getInstanceId(), b::instanceId);
        set(pg.getLeaseDuration(), b::leaseDuration);
        set(pg.getPollInterval(), b::pollInterval);
        set(store.getMaxEventsPerDestination(), b::maxEventsPerDestination);
        set(store.getMaxBytesPerDestination(), size -> b.maxBytesPerDestination(size.toBytes()));
        set(store.getDeliveredRetention(), b::deliveredRetention);
        yield AuditStreamStore.of(b.open());
      }
    };
  }

  /** The streamer; closed when the context closes. */
  @Bean
  @ConditionalOnMissingBean
  public AuditStreamer auditStreamer(AuditStreamProperties properties, AuditStreamStore store,
      ObjectProvider<AccessPolicy> accessPolicy, ObjectProvider<DeliveryListener> listener,
      ObjectProvider<EventTypeCatalog> catalog, ObjectProvider<AuditStreamerCustomizer> customizers) {
    AccessPolicy policy = accessPolicy.getIfUnique();
    if (policy == null) {
      throw new AuditStreamSetupException(
          "The audit streamer asks the application who owns each top-level group, and the application has no"
              + " single bean of type io.auditstream.api.spi.AccessPolicy.",
          "Declare one, for example: @Bean AccessPolicy auditAccessPolicy(MyGroups groups) { return (actor, group) ->"
              + " groups.isOwner(actor.id(), group); } (or set audit-stream.enabled=false).");
    }
    AuditStreamer.Builder b = AuditStreamer.builder().accessPolicy(policy);
    store.destinations().ifPresent(b::destinationStore);
    store.outbox().ifPresent(b::deliveryQueue);
    listener.ifUnique(b::deliveryListener);
    Optional<EventTypeCatalog> types = Optional.ofNullable(catalog.getIfUnique())
        .or(() -> Optional.ofNullable(properties.getEventTypeCatalog()).map(AuditStreamAutoConfiguration::readCatalog));
    types.ifPresent(b::eventTypeCatalog);
    b.allowLocalNetwork(properties.isAllowLocalNetwork()).allowPlainHttp(properties.isAllowPlainHttp());
    set(properties.getConnectTimeout(), b::connectTimeout);
    set(properties.getRequestTimeout(), b::requestTimeout);
    set(properties.getCloseTimeout(), b::closeTimeout);
    set(properties.getQueueCapacity(), b::queueCapacity);
    set(properties.getMaxEventBytes(), b::maxEventBytes);
    set(properties.getMaxDestinationsPerKind(), b::maxDestinationsPerKind);
    set(properties.getMaxInFlightPerDestination(), b::maxInFlightPerDestination);
    set(properties.getDeliveryThreads(), b::deliveryThreads);
    set(properties.getAutoPauseAfter(), b::autoPauseAfter);
    retryPolicy(properties.getRetry()).ifPresent(b::retryPolicy);
    List<AuditStreamerCustomizer> all = customizers.orderedStream().toList();
    all.forEach(c -> c.customize(b));
    AuditStreamer streamer = b.build();
    try {
      all.forEach(c -> c.built(streamer));
    } catch (RuntimeException e) {
      streamer.close();
      throw e;
    }
    return streamer;
  }

  private static Optional<RetryPolicy> retryPolicy(Retry retry) {
    if (retry.getSchedule().isEmpty() && retry.getMaxAge() == null && retry.getJitter() == null) {
      return Optional.empty();
    }
    RetryPolicy.Builder b = RetryPolicy.builder();
    if (!retry.getSchedule().isEmpty()) {
      b.schedule(retry.getSchedule());
    }
    set(retry.getMaxAge(), b::maxAge);
    set(retry.getJitter(), b::jitter);
    return Optional.of(b.build());
  }

  private static EventTypeCatalog readCatalog(Resource csv) {
    try (Reader r = new java.io.InputStreamReader(csv.getInputStream(), StandardCharsets.UTF_8)) {
      return EventTypeCatalogs.fromCsv(r);
    } catch (IOException e) {
      throw new UncheckedIOException("audit-stream.event-type-catalog: cannot read " + csv.getDescription(), e);
    }
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
