/**
 * What a host plugs into the engine: who owns which group ({@link io.auditstream.api.spi.AccessPolicy}),
 * where destinations are kept ({@link io.auditstream.api.spi.DestinationStore}), which event types
 * exist ({@link io.auditstream.api.spi.EventTypeCatalog}), and where pending deliveries wait ({@link
 * io.auditstream.api.spi.DeliveryQueue}), and who hears about dead letters, dropped deliveries and
 * automatic pauses ({@link io.auditstream.api.spi.DeliveryListener}). The core ships default implementations of each.
 * {@link io.auditstream.api.spi.DeliveryObserver} hears the outcome of every delivery attempt, for metrics.
 * {@link io.auditstream.api.spi.SecretKeys} holds the keys a host gives its durable stores to encrypt
 * destination secrets at rest.
 */
package io.auditstream.api.spi;
