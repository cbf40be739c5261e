package io.auditstream.spring;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The {@code audit-stream.store.*} settings: which store keeps the streamer's destinations and
 * undelivered events, and its bounds. A mutable bean, as Spring binds it.
 */
public class StoreProperties {
  /** Which store: embedded (default), postgres or memory. */
  private StoreType type = StoreType.EMBEDDED;

  /** The embedded store's data folder (its own folder; created when missing). */
  private Path dataDir = Path.of("audit-stream-data");

  /** The most undelivered events one destination may hold (default 100,000). */
  private Integer maxEventsPerDestination;

  /** The most bytes of undelivered events one destination may hold (default 256MB). */
  private DataSize maxBytesPerDestination;

  /** How long a delivered event is remembered, so that offering it again does not send it twice (default 1h). */
  private Duration deliveredRetention;

  /** The PostgreSQL store's settings. */
  private final Postgres postgres = new Postgres();

  public StoreType getType() {
    return type;
  }

  public void setType(StoreType type) {
    this.type = type;
  }

  public Path getDataDir() {
    return dataDir;
  }

  public void setDataDir(Path dataDir) {
    this.dataDir = dataDir;
  }

  public Integer getMaxEventsPerDestination() {
    return maxEventsPerDestination;
  }

  public void setMaxEventsPerDestination(Integer maxEventsPerDestination) {
    this.maxEventsPerDestination = maxEventsPerDestination;
  }

  public DataSize getMaxBytesPerDestination() {
    return maxBytesPerDestination;
  }

  public void setMaxBytesPerDestination(DataSize maxBytesPerDestination) {
    this.maxBytesPerDestination = maxBytesPerDestination;
  }

  public Duration getDeliveredRetention() {
    return deliveredRetention;
  }

  public void setDeliveredRetention(Duration deliveredRetention) {
    this.deliveredRetention = deliveredRetention;
  }

  public Postgres getPostgres() {
    return postgres;
  }

  /** Which store keeps destinations and the outbox. */
  public enum StoreType {
    /** An embedded SQLite database in audit-stream.store.data-dir: durable, one process. */
    EMBEDDED,
    /** The application's PostgreSQL DataSource: durable, shared by several instances. */
    POSTGRES,
    /** Memory only: what is not delivered when the application stops is lost. For tests and demos. */
    MEMORY
  }

  /** The PostgreSQL store's settings; it uses the application's DataSource. */
  public static class Postgres {
    /** The schema that holds the store's tables (default audit_stream). */
    private String schema;

    /** This instance's id, for its delivery leases (default: random per start). */
    private String instanceId;

    /** How long a delivery lease lasts; longer than the longest attempt (default 60 s). */
    private Duration leaseDuration;

    /** How often the outbox is polled for work other instances offered or left (default 1 s). */
    private Duration pollInterval;

    public String getSchema() {
      return schema;
    }

    public void setSchema(String schema) {
      this.schema = schema;
    }

    public String getInstanceId() {
      return instanceId;
    }

    public void setInstanceId(String instanceId) {
      this.instanceId = instanceId;
    }

    public Duration getLeaseDuration() {
      return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
      this.leaseDuration = leaseDuration;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }
  }
}
