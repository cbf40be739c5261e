/**
 * Internal machinery of the engine. Not API: anything here may change in any release without notice.
 *
 * <p>Everything here is package-private except what the {@code io.auditstream.core} package needs:
 * {@link io.auditstream.core.internal.DeliveryEngine} (routing and delivery), {@link
 * io.auditstream.core.internal.SinkFactory} (how the engine gets a destination's sink) and {@link
 * io.auditstream.core.internal.DestinationPauser} (how it pauses a destination that kept failing).
 */
package io.auditstream.core.internal;
