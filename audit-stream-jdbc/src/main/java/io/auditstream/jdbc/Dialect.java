package io.auditstream.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between the databases the stores run on: the schema's DDL, the statements that skip a
 * row already present, the lease query and the destination upsert. Everything else the stores send is
 * plain SQL that every supported database reads alike. A new database (PostgreSQL, whose leases take
 * rows with {@code FOR UPDATE SKIP LOCKED}) adds a dialect, not a second outbox.
 *
 * <p>Internal; may change without notice.
 */
interface Dialect {
  /** The database's name, for messages. */
  String name();

  /**
   * Sets up a fresh connection (durability, locking, foreign keys) before anything else runs on it.
   *
   * @throws SQLException when the database refuses a setting
   */
  void configure(Connection connection) throws SQLException;

  /** The schema, version by version, oldest first: version {@code i + 1} at index {@code i}. */
  List<Migration> migrations();

  /**
   * Inserts an event unless one with its id is stored already; run as a JDBC batch. Parameters: {@code
   * event_id}, {@code payload}, {@code created_at}.
   */
  String insertEventIfAbsent();

  /**
   * Inserts a pending delivery unless one with its key (event id, destination) is stored already; run as
   * a JDBC batch, whose update count for each row must be exact: 1 inserted, 0 stored already (the
   * outbox counts its backlogs by them). Parameters: {@code destination_id}, {@code event_id}, {@code
   * attempts}, {@code enqueued_at}, {@code next_attempt_at}, {@code last_error}, {@code size}.
   */
  String insertDeliveryIfAbsent();

  /**
   * Selects, oldest first, a destination's pending deliveries whether due or not, with their payload,
   * so that the caller can mark the due ones leased in the same transaction, up to the first that is
   * not due (it reads no further than that row); where several processes share the database, rows
   * another one is leasing are skipped. Parameters: {@code destination_id}, the limit. Columns: {@code
   * seq}, {@code event_id}, {@code attempts}, {@code enqueued_at}, {@code next_attempt_at}, {@code
   * last_error}, {@code size}, {@code payload}.
   */
  String selectOldestForLease();

  /**
   * Inserts or replaces a destination by id. Parameters: {@code id}, {@code group_path}, {@code name},
   * {@code kind}, {@code artifact}, {@code active}, {@code settings}, {@code secrets}, {@code filters},
   * {@code created_at}, {@code updated_at}, {@code paused_reason} (null when not paused).
   */
  String upsertDestination();

  /** Whether {@code e} says the database is locked by another connection or process. */
  boolean isLockedByAnother(SQLException e);
}
