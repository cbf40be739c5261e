package io.auditstream.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL, shared by several host instances: every table in one schema of the host's database.
 * Each transaction begins with {@code SET LOCAL search_path} to that schema, so the shared SQL names no
 * schema and nothing of it outlives the transaction on the host's pooled connection. Migrations run one
 * instance at a time under an advisory lock, which also guards the creation of the schema.
 *
 * <p>Internal; may change without notice.
 */
final class PostgresDialect implements Dialect {
  private static final List<Migration> MIGRATIONS = List.of(new Migration(1,
      "outbox (events, deliveries with leases, inbox) and destinations (with group locks and a change count)",
      List.of(
          // As in SQLite: one row per event; every time column holds nanoseconds since the epoch, UTC.
          """
          CREATE TABLE events (
            event_id   text   NOT NULL PRIMARY KEY,
            payload    bytea  NOT NULL,
            created_at bigint NOT NULL
          )""",
          // One row per (event, destination), leased oldest first by seq. lease_owner and lease_until mean
          // something only while the state is 'leased': who leased it and until when.
          """
          CREATE TABLE deliveries (
            seq             bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            destination_id  text    NOT NULL,
            event_id        text    NOT NULL REFERENCES events (event_id),
            state           text    NOT NULL CHECK (state IN ('pending', 'leased', 'dead', 'delivered')),
            attempts        integer NOT NULL,
            enqueued_at     bigint  NOT NULL,
            next_attempt_at bigint  NOT NULL,
            last_error      text,
            dead_at         bigint,
            dead_reason     text,
            delivered_at    bigint,
            size            bigint  NOT NULL,
            lease_owner     text,
            lease_until     bigint,
            UNIQUE (event_id, destination_id)
          )""",
          // A destination's backlog in order: leases, the head of line, and the backlog counts.
          "CREATE INDEX deliveries_backlog ON deliveries (destination_id, seq) WHERE state IN ('pending', 'leased')",
          "CREATE INDEX deliveries_leased ON deliveries (lease_owner) WHERE state = 'leased'",
          "CREATE INDEX deliveries_dead ON deliveries (destination_id, dead_at, seq) WHERE state = 'dead'",
          "CREATE INDEX deliveries_delivered ON deliveries (delivered_at) WHERE state = 'delivered'",
          """
          CREATE TABLE destinations (
            id            text    NOT NULL PRIMARY KEY,
            group_path    text    NOT NULL,
            name          text    NOT NULL,
            kind          text    NOT NULL,
            artifact      text,
            active        boolean NOT NULL,
            settings      text    NOT NULL,
            secrets       text    NOT NULL,
            filters       text    NOT NULL,
            created_at    text    NOT NULL,
            updated_at    text    NOT NULL,
            paused_reason text,
            CONSTRAINT destinations_name_in_group UNIQUE (group_path, name)
          )""",
          // Moves with every save and delete, in the same transaction: the others poll it.
          """
          CREATE TABLE destination_changes (
            id           integer NOT NULL PRIMARY KEY CHECK (id = 1),
            change_count bigint  NOT NULL
          )""",
          "INSERT INTO destination_changes (id, change_count) VALUES (1, 0)",
          // One row per group that was ever changed, locked by each change of its destinations.
          "CREATE TABLE destination_groups (group_path text NOT NULL PRIMARY KEY)",
          // Events that host transactions appended, waiting to be routed.
          """
          CREATE TABLE event_inbox (
            seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id   text   NOT NULL,
            payload    bytea  NOT NULL,
            created_at bigint NOT NULL
          )""")),
      // Each row's secrets sealed with AES-256-GCM under the store's current key (SecretsCipher): the
      // column keeps its type, its plain JSON objects become v1:<keyId>:<base64> text.
      new Migration(2, "destinations.secrets encrypted at rest", List.of(), SecretsReencryption::apply));

  private static final String SCHEMA_EXISTS = "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?";

  private final String schema;
  private final String quotedSchema;

  /** The dialect of the tables in {@code schema}, an identifier that the store checked. */
  PostgresDialect(String schema) {
    this.schema = schema;
    this.quotedSchema = '"' + schema + '"';
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public List<Migration> migrations() {
    return MIGRATIONS;
  }

  @Override
  public void begin(Transaction tx) throws SQLException {
    tx.execute("SET LOCAL search_path TO " + quotedSchema);
  }

  @Override
  public void beforeMigration(Transaction tx) throws SQLException {
    // Held to the end of the transaction: two instances that start at once migrate one after the other,
    // and the second finds the version the first recorded. Taken before the schema is created, since
    // two concurrent CREATE SCHEMA IF NOT EXISTS may both try to create it.
    PreparedStatement lock = tx.statement("SELECT pg_advisory_xact_lock(?)");
    lock.setLong(1, LockKeys.of("migrate", schema, ""));
    lock.execute();
    PreparedStatement exists = tx.statement(SCHEMA_EXISTS);
    exists.setString(1, schema);
    try (ResultSet rs = exists.executeQuery()) {
      if (rs.next()) {
        // Created already, perhaps by an administrator: the user may own it without CREATE on the database.
        return;
      }
    }
    tx.execute("CREATE SCHEMA IF NOT EXISTS " + quotedSchema);
  }

  @Override
  public String insertEventIfAbsent() {
    // An update that changes nothing, rather than DO NOTHING: it locks the stored row until the offer
    // commits, so that a purge elsewhere cannot delete the event between this and the insert of its
    // deliveries; and when a purge deleted it meanwhile, the insert is retried and stores it again.
    return "INSERT INTO events (event_id, payload, created_at) VALUES (?, ?, ?)"
        + " ON CONFLICT (event_id) DO UPDATE SET created_at = events.created_at";
  }

  @Override
  public String insertDeliveryIfAbsent() {
    return "INSERT INTO deliveries (destination_id, event_id, state, attempts, enqueued_at, next_attempt_at,"
        + " last_error, size) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?) ON CONFLICT (event_id, destination_id) DO NOTHING";
  }

  @Override
  public String selectDeliveredBefore() {
    // Two purgers at once share the work instead of waiting for each other.
    return "SELECT seq, event_id FROM deliveries WHERE state = 'delivered' AND delivered_at < ?"
        + " ORDER BY delivered_at LIMIT ? FOR UPDATE SKIP LOCKED";
  }

  @Override
  public Collection<String> lockEventsToDelete(Transaction tx, Collection<String> eventIds) throws SQLException {
    if (eventIds.isEmpty()) {
      return List.of();
    }
    // Waits for an offer that is storing a delivery of one of them (it holds the event's row, see
    // insertEventIfAbsent), and for another removal of one of their deliveries: the delete that follows,
    // a statement of its own, then sees what they committed, so that an event is deleted exactly when its
    // last delivery is, whichever transaction that is. Skipping locked rows instead would leave an event
    // that two transactions each saw the other's delivery of. In id order, as offers lock them, so that
    // they never wait for each other in a circle.
    PreparedStatement select = tx.statement("SELECT event_id FROM events WHERE event_id = ANY (?)"
        + " ORDER BY event_id FOR UPDATE");
    select.setArray(1, tx.textArray(eventIds));
    List<String> locked = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        locked.add(rs.getString(1));
      }
    }
    return locked;
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  public Optional<String> appendToInbox() {
    // On the host's connection, whose search_path is the host's: the schema is named.
    return Optional.of("INSERT INTO " + quotedSchema + ".event_inbox (event_id, payload, created_at) VALUES (?, ?, ?)");
  }
}
