/**
 * Durable delivery for audit-stream: an outbox ({@link io.auditstream.jdbc.JdbcOutbox}, a {@link
 * io.auditstream.api.spi.DeliveryQueue}) and a destination store ({@link
 * io.auditstream.jdbc.JdbcDestinationStore}) in one database. {@link io.auditstream.jdbc.EmbeddedStore}
 * opens both on an embedded SQLite database in a data folder, for a host that runs as one instance;
 * {@link io.auditstream.jdbc.PostgresStore} on a PostgreSQL database that several instances share.
 *
 * <p>The module depends on {@code audit-stream-api} alone: the outbox stores each event's payload bytes
 * and rebuilds the event with a decoder the host passes ({@code AuditEventJson::decode} of {@code
 * audit-stream-core}), and needs only {@code java.sql} for PostgreSQL (the host brings the driver and a
 * pool). What differs between databases sits behind a package-private dialect and lease claims, so that
 * both databases share one outbox and one destination store.
 */
package io.auditstream.jdbc;
