package io.auditstream.spring;

import io.auditstream.core.AuditStreamer;

/**
 * A bean that adjusts the auto-configured streamer's builder beyond the {@code audit-stream.*}
 * properties (a host resolver, trusted certificates, sink providers, a clock for tests...), and hears
 * when the streamer is built. Every such bean is applied, in {@link org.springframework.core.Ordered}
 * order, after the properties.
 */
@FunctionalInterface
public interface AuditStreamerCustomizer {
  /** Adjusts the builder; called once, before the streamer is built. */
  void customize(AuditStreamer.Builder builder);

  /** The streamer was built from the builder; called once, before any other bean can use it. */
  default void built(AuditStreamer streamer) {}
}
