/**
 * The public model of audit-stream: audit events, namespaces, actors, secrets and the exceptions that
 * every call may throw.
 *
 * <p>Host applications and sink authors code against this module only; the engine lives in
 * {@code audit-stream-core}. Everything here is kept compatible across minor releases.
 */
package io.auditstream.api;
