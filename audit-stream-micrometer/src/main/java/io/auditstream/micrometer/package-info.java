/**
 * Micrometer meters ({@code audit.stream.*}) for an {@link io.auditstream.core.AuditStreamer}: events accepted
 * and refused, deliveries by destination kind and outcome, deliveries dropped and pending, delivery latency,
 * and paused destinations. {@link io.auditstream.micrometer.AuditStreamMetrics} is both the streamer's {@link
 * io.auditstream.api.spi.DeliveryObserver} and the binder of the meters that read it; a host without Spring
 * wires it itself:
 *
 * <pre>{@code
 * AuditStreamMetrics metrics = AuditStreamMetrics.builder(registry).build();
 * AuditStreamer streamer = AuditStreamer.builder().accessPolicy(policy).deliveryObserver(metrics).build();
 * metrics.bindTo(streamer);
 * }</pre>
 */
package io.auditstream.micrometer;
