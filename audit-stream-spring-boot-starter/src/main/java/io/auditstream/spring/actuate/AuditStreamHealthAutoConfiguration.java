package io.auditstream.spring.actuate;

import io.auditstream.core.AuditStreamer;
import io.auditstream.spring.AuditStreamAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code auditStream} health contributor ({@link AuditStreamHealthIndicator}) when Spring Boot's
 * health support is present; off with {@code management.health.audit-stream.enabled=false}.
 */
@AutoConfiguration(after = AuditStreamAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AuditStreamer.class)
@ConditionalOnEnabledHealthIndicator("audit-stream")
public class AuditStreamHealthAutoConfiguration {

  /** The streamer's health. */
  @Bean(name = "auditStreamHealthIndicator")
  @ConditionalOnMissingBean(name = "auditStreamHealthIndicator")
  public AuditStreamHealthIndicator auditStreamHealthIndicator(AuditStreamer streamer) {
    return new AuditStreamHealthIndicator(streamer);
  }
}
