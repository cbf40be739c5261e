package io.auditstream.jdbc;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What differs between the databases the stores run on: the schema's DDL, how a transaction begins,
 * the statements that skip a row already present, and what several processes sharing one database
 * need (row locks that skip what another one holds, a lock for migrations, an inbox). Everything else
 * the stores send is plain SQL that every supported database reads alike. How deliveries are leased
 * is {@link LeaseClaims}'s.
 *
 * <p>Internal; may change without notice.
 */
interface Dialect {
  /** The database's name, for messages. */
  String name();

  /**
   * Whether several processes share the database: then destination changes are counted and made
   * under a group lock, and the outbox's backlogs are read again now and then.
   */
  boolean shared();

  /** The schema, version by version, oldest first: version {@code i + 1} at index {@code i}. */
  List<Migration> migrations();

  /**
   * Runs first in every transaction of a database that borrows its connections (PostgreSQL sets the
   * schema here, for this transaction alone).
   *
   * @throws SQLException when the database refuses it
   */
  default void begin(Transaction tx) throws SQLException {}

  /**
   * Runs first in every migration transaction, before the version is read: where several processes
   * may migrate at once, takes the lock that makes them do it one after the other, and creates the
   * schema when it is missing.
   *
   * @throws SQLException when the database refuses it
   */
  default void beforeMigration(Transaction tx) throws SQLException {}

  /**
   * Inserts an event unless one with its id is stored already, keeping the stored payload; run as a
   * JDBC batch. Parameters: {@code event_id}, {@code payload}, {@code created_at}.
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
   * Selects the oldest delivered rows past the retention, to delete them; where several processes share
   * the database, rows another one is deleting are skipped. Parameters: the time before which they were
   * delivered, the limit. Columns: {@code seq}, {@code event_id}.
   */
  String selectDeliveredBefore();

  /**
   * Of {@code eventIds}, those that this transaction may delete when no delivery refers to them any
   * more. Where several processes share the database, it locks them, waiting for the transactions that
   * hold them (storing or removing a delivery of the event): after this, no delivery of them can be
   * added before this transaction ends, and what those transactions did is seen by the next statement.
   */
  Collection<String> lockEventsToDelete(Transaction tx, Collection<String> eventIds) throws SQLException;

  /**
   * Makes the database overwrite what this transaction's updates and deletes free (where it can), so that
   * a rewritten value leaves no copy of the old one in the file: on while destination secrets are
   * re-encrypted, off again after. PostgreSQL keeps old row versions until its vacuum whatever is done
   * here.
   *
   * @throws SQLException when the database refuses it
   */
  default void overwriteFreedSpace(Transaction tx, boolean on) throws SQLException {}

  /** Whether {@code e} says a row broke a unique constraint. */
  boolean isUniqueViolation(SQLException e);

  /**
   * The statement that appends an event to the inbox on a host's connection, naming the inbox with its
   * schema; empty when the database has no inbox. Parameters: {@code event_id}, {@code payload}, {@code
   * created_at}.
   */
  default Optional<String> appendToInbox() {
    return Optional.empty();
  }
}
