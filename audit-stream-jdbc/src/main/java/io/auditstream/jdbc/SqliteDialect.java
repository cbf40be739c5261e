package io.auditstream.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * SQLite, embedded in the host's process: one database file in a data folder.
 *
 * <p>Settings of every connection: {@code journal_mode=WAL} with {@code synchronous=FULL}, so that a
 * transaction that committed survives a crash of the process and a power loss; {@code
 * locking_mode=EXCLUSIVE}, so that a second process that opens the same folder is refused instead of
 * writing beside the first (the outbox keeps each destination's backlog in memory); foreign keys on;
 * and a bound on what the write-ahead log keeps on disk after a checkpoint.
 *
 * <p>Internal; may change without notice.
 */
final class SqliteDialect implements Dialect {
  // SQLite's result codes for "locked by another connection" (SQLITE_BUSY, SQLITE_LOCKED), also as the
  // low byte of an extended code.
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_CONSTRAINT = 19;

  // How long a write waits for a lock that another process holds before it fails.
  private static final int BUSY_TIMEOUT_MILLIS = 2_000;

  // What a checkpointed write-ahead log may keep of its file: 64 MiB.
  private static final long JOURNAL_SIZE_LIMIT = 64L * 1024 * 1024;

  private static final List<Migration> MIGRATIONS = List.of(new Migration(1,
      "outbox (events, deliveries) and destinations",
      List.of(
          // One row per event, whatever the number of destinations that get it. created_at is when it
          // was stored; every time column holds nanoseconds since the epoch, UTC.
          """
          CREATE TABLE events (
            event_id   TEXT    NOT NULL PRIMARY KEY,
            payload    BLOB    NOT NULL,
            created_at INTEGER NOT NULL
          )""",
          // One row per (event, destination). seq is the insertion sequence (SQLite's rowid): a
          // destination's deliveries are leased oldest first by it. size is the payload's length,
          // which the per-destination bound in bytes counts.
          """
          CREATE TABLE deliveries (
            seq             INTEGER PRIMARY KEY,
            destination_id  TEXT    NOT NULL,
            event_id        TEXT    NOT NULL REFERENCES events (event_id),
            state           TEXT    NOT NULL CHECK (state IN ('pending', 'leased', 'dead', 'delivered')),
            attempts        INTEGER NOT NULL,
            enqueued_at     INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            last_error      TEXT,
            dead_at         INTEGER,
            dead_reason     TEXT,
            delivered_at    INTEGER,
            size            INTEGER NOT NULL,
            UNIQUE (event_id, destination_id)
          )""",
          // A destination's pending rows by due time. The unique key above also serves the look-ups
          // by event id (is an event still referenced?).
          "CREATE INDEX deliveries_lease ON deliveries (destination_id, state, next_attempt_at, seq)",
          // Leases and nextDue: a destination's pending rows oldest first, without sorting a backlog.
          "CREATE INDEX deliveries_order ON deliveries (destination_id, state, seq, next_attempt_at)",
          "CREATE INDEX deliveries_dead ON deliveries (destination_id, dead_at, seq) WHERE state = 'dead'",
          "CREATE INDEX deliveries_delivered ON deliveries (delivered_at) WHERE state = 'delivered'",
          // Settings and secrets in columns of their own, so that the secrets can be encrypted apart
          // later; created_at and updated_at are ISO-8601 instants.
          """
          CREATE TABLE destinations (
            id         TEXT    NOT NULL PRIMARY KEY,
            group_path TEXT    NOT NULL,
            name       TEXT    NOT NULL,
            kind       TEXT    NOT NULL,
            artifact   TEXT,
            active     INTEGER NOT NULL,
            settings   TEXT    NOT NULL,
            secrets    TEXT    NOT NULL,
            filters    TEXT    NOT NULL,
            created_at TEXT    NOT NULL,
            updated_at TEXT    NOT NULL
          )""",
          "CREATE INDEX destinations_group ON destinations (group_path)")),
      // Why a destination is paused; NULL (as in every row written before) when it is not.
      new Migration(2, "destinations.paused_reason",
          List.of("ALTER TABLE destinations ADD COLUMN paused_reason TEXT")),
      // No statement reads deliveries by due time (leases and nextDue walk deliveries_order), yet every
      // insert and every change of state updated the index: a quarter more work per offer.
      new Migration(3, "drop the unused index deliveries_lease",
          List.of("DROP INDEX IF EXISTS deliveries_lease")),
      // Each row's secrets sealed with AES-256-GCM under the store's current key (SecretsCipher): the
      // column keeps its type, its plain JSON objects become v1:<keyId>:<base64> text.
      new Migration(4, "destinations.secrets encrypted at rest", List.of(), SecretsReencryption::apply));

  @Override
  public String name() {
    return "SQLite";
  }

  @Override
  public boolean shared() {
    return false;
  }

  /**
   * Sets up a fresh connection (durability, locking, foreign keys) before anything else runs on it.
   *
   * @throws SQLException when the database refuses a setting
   */
  void configure(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      // Before journal_mode: in exclusive mode the write-ahead log needs no shared-memory file.
      expect(s, "PRAGMA locking_mode = EXCLUSIVE", "exclusive");
      expect(s, "PRAGMA journal_mode = WAL", "wal");
      s.execute("PRAGMA synchronous = FULL");
      s.execute("PRAGMA foreign_keys = ON");
      s.execute("PRAGMA journal_size_limit = " + JOURNAL_SIZE_LIMIT);
    }
  }

  private static void expect(Statement s, String pragma, String expected) throws SQLException {
    try (ResultSet rs = s.executeQuery(pragma)) {
      String got = rs.next() ? rs.getString(1) : null;
      if (got == null || !got.toLowerCase(Locale.ROOT).equals(expected)) {
        throw new SQLException(pragma + " gave " + got + ", not " + expected);
      }
    }
  }

  @Override
  public List<Migration> migrations() {
    return MIGRATIONS;
  }

  @Override
  public String insertEventIfAbsent() {
    return "INSERT OR IGNORE INTO events (event_id, payload, created_at) VALUES (?, ?, ?)";
  }

  @Override
  public String insertDeliveryIfAbsent() {
    return "INSERT OR IGNORE INTO deliveries (destination_id, event_id, state, attempts, enqueued_at,"
        + " next_attempt_at, last_error, size) VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)";
  }

  @Override
  public String selectDeliveredBefore() {
    return "SELECT seq, event_id FROM deliveries WHERE state = 'delivered' AND delivered_at < ?"
        + " ORDER BY delivered_at LIMIT ?";
  }

  @Override
  public Collection<String> lockEventsToDelete(Transaction tx, Collection<String> eventIds) {
    // One connection holds the database exclusively: no other transaction can add a delivery meanwhile.
    return eventIds;
  }

  @Override
  public void overwriteFreedSpace(Transaction tx, boolean on) throws SQLException {
    // Zeroes freed cells and pages: the plain secrets an update replaces are not left in the file.
    tx.execute("PRAGMA secure_delete = " + (on ? "ON" : "OFF"));
  }

  @Override
  public boolean isUniqueViolation(SQLException e) {
    // SQLITE_CONSTRAINT covers every constraint; its message names the kind.
    return (e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT && String.valueOf(e.getMessage()).contains("UNIQUE");
  }

  /** Whether {@code e} says the database is locked by another connection or process. */
  boolean isLockedByAnother(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  }
}
