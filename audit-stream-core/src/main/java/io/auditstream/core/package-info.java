/**
 * The audit-stream engine. {@link io.auditstream.core.AuditStreamer} is the entry point a host
 * builds once: it streams events ({@code stream}) and manages destinations ({@code destinations()}).
 * {@link io.auditstream.core.AuditEventJson} is the events' JSON form, for stores and receivers.
 * The engine names no kind of destination: it works through each kind's {@link
 * io.auditstream.api.destination.DestinationKind}.
 */
package io.auditstream.core;
