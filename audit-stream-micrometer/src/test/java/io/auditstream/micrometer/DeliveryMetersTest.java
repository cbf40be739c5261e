package io.auditstream.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryMetersTest {
  private static final Instant ACCEPTED = Instant.parse("2026-11-25T12:00:00.999999999Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DeliveryMeters meters = DeliveryMeters.register(registry, Tags.of("kind", "test"));

  private static QueuedDelivery acceptedAt(Instant at) {
    AuditEvent event = AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 7L, "acme").build();
    return new QueuedDelivery(DestinationId.of("acme-siem"), new EncodedEvent(event, AuditEventJson.encode(event)), at);
  }

  private Timer latency() {
    return registry.get(AuditStreamMetrics.DELIVERY_LATENCY).timer();
  }

  @Test
  void recordsTheLatencyToTheNanosecondAcrossASecondBoundary() {
    meters.delivered(List.of(acceptedAt(ACCEPTED)), ACCEPTED.plusNanos(1_500_000_002));

    assertThat(latency().count()).isOne();
    assertThat(latency().totalTime(TimeUnit.NANOSECONDS)).isEqualTo(1_500_000_002);
    assertThat(registry.get(AuditStreamMetrics.DELIVERIES).tag("outcome", "delivered").counter().count()).isOne();
  }

  @Test
  void recordsZeroWhenTheClockThatAcceptedTheEventRanAheadOfTheOneThatDeliveredIt() {
    meters.delivered(List.of(acceptedAt(ACCEPTED)), ACCEPTED.minusMillis(40));

    assertThat(latency().count()).isOne();
    assertThat(latency().totalTime(TimeUnit.NANOSECONDS)).isZero();
  }
}
