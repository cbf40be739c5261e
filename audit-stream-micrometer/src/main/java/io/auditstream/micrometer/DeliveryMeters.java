package io.auditstream.micrometer;

import io.auditstream.api.spi.QueuedDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters that {@link AuditStreamMetrics} feeds for one set of tags (a destination kind, and its group
 * and destination when asked): the deliveries by outcome and the delivery latency. Registered once, then
 * kept, so that an outcome costs no registry lookup. Thread-safe, as Micrometer's meters are.
 */
final class DeliveryMeters {
  private final Counter delivered;
  private final Counter retried;
  private final Counter deadLettered;
  private final Timer latency;

  private DeliveryMeters(Counter delivered, Counter retried, Counter deadLettered, Timer latency) {
    this.delivered = delivered;
    this.retried = retried;
    this.deadLettered = deadLettered;
    this.latency = latency;
  }

  /** Registers (or finds, when the registry holds them already) the meters of {@code tags} in {@code registry}. */
  static DeliveryMeters register(MeterRegistry registry, Tags tags) {
    return new DeliveryMeters(
        outcome(registry, tags, AuditStreamMetrics.OUTCOME_DELIVERED),
        outcome(registry, tags, AuditStreamMetrics.OUTCOME_RETRIED),
        outcome(registry, tags, AuditStreamMetrics.OUTCOME_DEAD_LETTERED),
        Timer.builder(AuditStreamMetrics.DELIVERY_LATENCY)
            .description("How long each delivered event waited, from when the streamer accepted it (or an Owner"
                + " redelivered it) until its destination accepted it, retries included")
            .tags(tags)
            .register(registry));
  }

  private static Counter outcome(MeterRegistry registry, Tags tags, String outcome) {
    return Counter.builder(AuditStreamMetrics.DELIVERIES)
        .description("Deliveries of events to destinations, by outcome: delivered (accepted by the destination),"
            + " retried (a failed attempt, attempted again later) or dead_lettered (given up on)")
        .baseUnit(AuditStreamMetrics.UNIT_DELIVERIES)
        .tags(tags)
        .tag(AuditStreamMetrics.TAG_OUTCOME, outcome)
        .register(registry);
  }

  /** The destination accepted {@code deliveries} at {@code at}: counted, and each one's wait recorded. */
  void delivered(List<QueuedDelivery> deliveries, Instant at) {
    delivered.increment(deliveries.size());
    for (QueuedDelivery q : deliveries) {
      latency.record(nanosBetween(q.enqueuedAt(), at), TimeUnit.NANOSECONDS);
    }
  }

  void retried(int deliveries) {
    retried.increment(deliveries);
  }

  void deadLettered(int deliveries) {
    deadLettered.increment(deliveries);
  }

  /**
   * From {@code from} to {@code to} in nanoseconds, without the {@code Duration} that {@code Duration.between}
   * makes; never negative: with a queue that several host instances share, the instance that accepted an
   * event may have a clock ahead of the one that delivered it.
   */
  static long nanosBetween(Instant from, Instant to) {
    long nanos = (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
    return Math.max(0, nanos);
  }
}
