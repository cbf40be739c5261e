/** Implementations of {@link io.auditstream.api.spi.DeliveryQueue} that the core ships. */
package io.auditstream.core.queue;
