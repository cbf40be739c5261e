package io.auditstream.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;

/**
 * The audit-stream.* settings of the auto-configured streamer. A setting left unset takes the
 * library's default (named on each); a value that breaks the library's rule fails the start-up with a
 * message naming the setting.
 *
 * <p>A mutable bean, as Spring binds it; read once, when the streamer is built.
 */
@ConfigurationProperties(prefix = "audit-stream")
public class AuditStreamProperties {
  /** Whether to configure an audit streamer at all. */
  private boolean enabled = true;

  /**
   * Whether destinations may point at loopback, private, link-local and metadata addresses. Off by
   * default: an Owner could otherwise make the host call into its own network.
   */
  private boolean allowLocalNetwork;

  /**
   * Whether credentials (a verification token, a signature, a cloud token request) may travel over
   * plain HTTP. Off by default.
   */
  private boolean allowPlainHttp;

  /** How long a connection to a destination may take (library default 5 s). */
  private Duration connectTimeout;

  /** How long one delivery attempt may take, answer included (library default 10 s). */
  private Duration requestTimeout;

  /** How long closing the streamer waits for accepted events to be delivered (default 10 s). */
  private Duration closeTimeout;

  /** How many events the ingress queue holds before stream refuses them (default 10,000). */
  private Integer queueCapacity;

  /** The largest JSON payload of one event, in bytes (default 1 MiB). */
  private Integer maxEventBytes;

  /** How many destinations of each kind one group may have (default 5, as GitLab). */
  private Integer maxDestinationsPerKind;

  /** How many attempts may be in flight to one destination at once, 1 to 16 (default 16). */
  private Integer maxInFlightPerDestination;

  /** How many delivery threads the streamer runs (default: the available processors, at least 2). */
  private Integer deliveryThreads;

  /**
   * Pause a destination automatically when its oldest delivery has kept failing this long; its events
   * wait in its backlog until an Owner resumes it. Unset or zero: never.
   */
  private Duration autoPauseAfter;

  /**
   * A CSV of the host's event types (first column: the type name, as GitLab's list of audit event
   * types): an event-type filter that names an unknown type is then refused. Unset: any type is accepted.
   */
  private Resource eventTypeCatalog;

  /** Where the streamer keeps destinations and undelivered events. */
  @NestedConfigurationProperty
  private final StoreProperties store = new StoreProperties();

  /** How failed deliveries are retried. */
  private final Retry retry = new Retry();

  /** The destinations management REST API. */
  private final Api api = new Api();

  /** Micrometer meters (audit.stream.*). */
  private final Metrics metrics = new Metrics();

  /**
   * The keys that encrypt destination secrets at rest, as keyId:base64Key[,olderId:base64Key...]
   * (32-byte AES keys, the first one current). Required with the PostgreSQL store; the embedded store
   * generates a key file in its data folder when unset.
   */
  private String secretKeys;

  /** How failed deliveries are retried. */
  public static class Retry {
    /**
     * The waits between attempts, the last one repeated (default 5s, 5m, 30m, 2h, 5h, 10h). Comma-separated
     * durations, for example 1s,10s,1m.
     */
    private List<Duration> schedule = new ArrayList<>();

    /** How long a delivery is retried before it becomes a dead letter (default 72h). */
    private Duration maxAge;

    /** Whether waits are spread at random by up to a fifth (default true). */
    private Boolean jitter;

    public List<Duration> getSchedule() {
      return schedule;
    }

    public void setSchedule(List<Duration> schedule) {
      this.schedule = schedule;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }

    public Boolean getJitter() {
      return jitter;
    }

    public void setJitter(Boolean jitter) {
      this.jitter = jitter;
    }
  }

  /** The destinations management REST API, under /audit-stream. */
  public static class Api {
    /**
     * Whether to serve the API. Off by default: switch it on once an ActorResolver bean maps the
     * signed-in user to an actor.
     */
    private boolean enabled;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Micrometer meters. Per-group and per-destination tags multiply the series: off by default. */
  public static class Metrics {
    /** Whether to bind the meters when a MeterRegistry is present. */
    private boolean enabled = true;

    /** Whether delivery meters carry a group tag (the top-level group). */
    private boolean groupTag;

    /** Whether delivery meters carry a destination tag (the destination id). */
    private boolean destinationTag;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isGroupTag() {
      return groupTag;
    }

    public void setGroupTag(boolean groupTag) {
      this.groupTag = groupTag;
    }

    public boolean isDestinationTag() {
      return destinationTag;
    }

    public void setDestinationTag(boolean destinationTag) {
      this.destinationTag = destinationTag;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isAllowLocalNetwork() {
    return allowLocalNetwork;
  }

  public void setAllowLocalNetwork(boolean allowLocalNetwork) {
    this.allowLocalNetwork = allowLocalNetwork;
  }

  public boolean isAllowPlainHttp() {
    return allowPlainHttp;
  }

  public void setAllowPlainHttp(boolean allowPlainHttp) {
    this.allowPlainHttp = allowPlainHttp;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }

  public Integer getQueueCapacity() {
    return queueCapacity;
  }

  public void setQueueCapacity(Integer queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  public Integer getMaxEventBytes() {
    return maxEventBytes;
  }

  public void setMaxEventBytes(Integer maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  public Integer getMaxDestinationsPerKind() {
    return maxDestinationsPerKind;
  }

  public void setMaxDestinationsPerKind(Integer maxDestinationsPerKind) {
    this.maxDestinationsPerKind = maxDestinationsPerKind;
  }

  public Integer getMaxInFlightPerDestination() {
    return maxInFlightPerDestination;
  }

  public void setMaxInFlightPerDestination(Integer maxInFlightPerDestination) {
    this.maxInFlightPerDestination = maxInFlightPerDestination;
  }

  public Integer getDeliveryThreads() {
    return deliveryThreads;
  }

  public void setDeliveryThreads(Integer deliveryThreads) {
    this.deliveryThreads = deliveryThreads;
  }

  public Duration getAutoPauseAfter() {
    return autoPauseAfter;
  }

  public void setAutoPauseAfter(Duration autoPauseAfter) {
    this.autoPauseAfter = autoPauseAfter;
  }

  public Resource getEventTypeCatalog() {
    return eventTypeCatalog;
  }

  public void setEventTypeCatalog(Resource eventTypeCatalog) {
    this.eventTypeCatalog = eventTypeCatalog;
  }

  public StoreProperties getStore() {
    return store;
  }

  public Retry getRetry() {
    return retry;
  }

  public Api getApi() {
    return api;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public String getSecretKeys() {
    return secretKeys;
  }

  public void setSecretKeys(String secretKeys) {
    this.secretKeys = secretKeys;
  }
}
