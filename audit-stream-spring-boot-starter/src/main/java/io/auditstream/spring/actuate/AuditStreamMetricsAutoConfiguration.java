package io.auditstream.spring.actuate;

import io.auditstream.core.AuditStreamer;
import io.auditstream.micrometer.AuditStreamMetrics;
import io.auditstream.spring.AuditStreamAutoConfiguration;
import io.auditstream.spring.AuditStreamProperties;
import io.auditstream.spring.AuditStreamerCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds the streamer's Micrometer meters ({@code audit.stream.*}, see {@link AuditStreamMetrics}) to the
 * application's {@link MeterRegistry} when {@code audit-stream-micrometer} is on the classpath. Tags stay
 * low-cardinality unless {@code audit-stream.metrics.group-tag} or {@code destination-tag} ask for more;
 * off with {@code audit-stream.metrics.enabled=false}.
 */
@AutoConfiguration(before = AuditStreamAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({AuditStreamMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "audit-stream.metrics.enabled", matchIfMissing = true)
public class AuditStreamMetricsAutoConfiguration {

  /** The meters, fed by the streamer's deliveries. */
  @Bean
  @ConditionalOnMissingBean
  public AuditStreamMetrics auditStreamMetrics(MeterRegistry registry, AuditStreamProperties properties) {
    return AuditStreamMetrics.builder(registry).groupTag(properties.getMetrics().isGroupTag())
        .destinationTag(properties.getMetrics().isDestinationTag()).build();
  }

  /** Hands the meters to the streamer's builder, and binds the streamer's counters once it is built. */
  @Bean
  public AuditStreamerCustomizer auditStreamMetricsCustomizer(AuditStreamMetrics metrics) {
    return new AuditStreamerCustomizer() {
      @Override
      public void customize(AuditStreamer.Builder builder) {
        builder.deliveryObserver(metrics);
      }

      @Override
      public void built(AuditStreamer streamer) {
        metrics.bindTo(streamer);
      }
    };
  }
}
