/**
 * The audit-stream engine. {@link io.auditstream.core.AuditStreamer} is the entry point a host
 * builds once: it streams events ({@code stream}) and manages destinations ({@code destinations()}).
 */
package io.auditstream.core;
