package io.auditstream.spring.actuate;

import io.auditstream.api.destination.DestinationHealthView;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DeliveryStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The audit streamer's part of the application's health: DOWN when the streamer cannot take and
 * deliver events (it is closed, its delivery threads stopped, or its store cannot be read), UP
 * otherwise. The destinations' delivery health is shown as details only: a tenant's destination that
 * fails every request is its Owners' business, and must not turn the host's health DOWN (a load balancer
 * would take a healthy instance out for it).
 *
 * <p>Details: the streamer's counters, how many destinations deliver, fail and are paused, and the
 * failing ones (at most {@value #MAX_FAILING_SHOWN}) with their group, name, kind, pending count and last
 * error (never a secret). Actuator shows details only to whom {@code management.endpoint.health.show-details}
 * allows. Thread-safe; each check reads the destination store once.
 */
public class AuditStreamHealthIndicator extends AbstractHealthIndicator {
  /** The most failing destinations the details name. */
  static final int MAX_FAILING_SHOWN = 20;

  private final AuditStreamer streamer;

  /** The health of {@code streamer}. */
  public AuditStreamHealthIndicator(AuditStreamer streamer) {
    super("Audit streamer health check failed");
    this.streamer = streamer;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (!streamer.running()) {
      builder.down().withDetail("engine", "stopped");
      return;
    }
    // Reads the store: an unreachable database throws, and the check reports DOWN with the error.
    List<DestinationHealthView> destinations = streamer.health();
    DeliveryStats stats = streamer.stats();
    int failing = 0;
    int paused = 0;
    List<Map<String, Object>> shown = new ArrayList<>();
    for (DestinationHealthView d : destinations) {
      DestinationStatus s = d.status();
      if (d.paused()) {
        paused++;
      }
      if (s.consecutiveFailures() > 0) {
        failing++;
        if (shown.size() < MAX_FAILING_SHOWN) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("group", d.groupPath());
          f.put("name", d.name());
          f.put("kind", d.kind());
          f.put("pending", s.pending());
          f.put("consecutiveFailures", s.consecutiveFailures());
          s.lastError().ifPresent(e -> f.put("lastError", e));
          shown.add(f);
        }
      }
    }
    builder.up().withDetail("engine", "running")
        .withDetail("accepted", stats.accepted())
        .withDetail("delivered", stats.delivered())
        .withDetail("deadLettered", stats.deadLettered())
        .withDetail("dropped", stats.dropped())
        .withDetail("refused", stats.refusedFull() + stats.refusedClosed() + stats.refusedTooLarge())
        .withDetail("destinations", Map.of("total", destinations.size(), "failing", failing, "paused", paused));
    if (!shown.isEmpty()) {
      builder.withDetail("failing", shown);
    }
  }
}
