/**
 * Durable delivery for audit-stream: an outbox ({@link io.auditstream.jdbc.JdbcOutbox}, a {@link
 * io.auditstream.api.spi.DeliveryQueue}) and a destination store ({@link
 * io.auditstream.jdbc.JdbcDestinationStore}) in one database. {@link io.auditstream.jdbc.EmbeddedStore}
 * opens both on an embedded SQLite database in a data folder, for a host that runs as one instance.
 *
 * <p>The module depends on {@code audit-stream-api} alone: the outbox stores each event's payload bytes
 * and rebuilds the event with a decoder the host passes ({@code AuditEventJson::decode} of {@code
 * audit-stream-core}). What differs between databases sits behind a package-private dialect, so that
 * PostgreSQL, for hosts that run several instances, adds a dialect rather than a second outbox.
 */
package io.auditstream.jdbc;
