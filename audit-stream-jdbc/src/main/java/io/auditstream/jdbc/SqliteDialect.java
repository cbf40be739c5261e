package io.auditstream.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
          List.of("ALTER TABLE destinations ADD COLUMN paused_reason TEXT")));

  @Override
  public String name() {
    return "SQLite";
  }

  @Override
  public void configure(Connection connection) throws SQLException {
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
  public String selectOldestForLease() {
    // One connection holds the database exclusively, so no row lock is needed. INDEXED BY: walking
    // the backlog in insertion order stops after the limit, or where the caller stops reading.
    return "SELECT d.seq, d.event_id, d.attempts, d.enqueued_at, d.next_attempt_at, d.last_error, d.size,"
        + " e.payload"
        + " FROM deliveries d INDEXED BY deliveries_order JOIN events e ON e.event_id = d.event_id"
        + " WHERE d.destination_id = ? AND d.state = 'pending'"
        + " ORDER BY d.seq LIMIT ?";
  }

  @Override
  public String upsertDestination() {
    return "INSERT INTO destinations (id, group_path, name, kind, artifact, active, settings, secrets, filters,"
        + " created_at, updated_at, paused_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET group_path = excluded.group_path, name = excluded.name,"
        + " kind = excluded.kind, artifact = excluded.artifact, active = excluded.active,"
        + " settings = excluded.settings, secrets = excluded.secrets, filters = excluded.filters,"
        + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
        + " paused_reason = excluded.paused_reason";
  }

  @Override
  public boolean isLockedByAnother(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  }
}
