package io.auditstream.jdbc;

import java.sql.ResultSet;

/** Looks at an outbox's database beside the outbox: its rows, its commits, its settings. */
final class OutboxProbe {
  private OutboxProbe() {}

  /** How many rows the events and the deliveries tables hold. */
  static long[] storedRows(JdbcOutbox outbox) {
    return outbox.database().transaction("count rows", d -> new long[] {
        DeliveryRows.count(d, OutboxSql.COUNT_EVENTS, null), DeliveryRows.count(d, OutboxSql.COUNT_DELIVERIES, null)});
  }

  /** How many transactions the database committed. */
  static long commits(JdbcOutbox outbox) {
    return outbox.database().commits();
  }

  /** The value of an SQLite setting ({@code PRAGMA name}). */
  static String sqliteSetting(JdbcOutbox outbox, String name) {
    return outbox.database().transaction("read a setting", d -> {
      try (ResultSet rs = d.statement("PRAGMA " + name).executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    });
  }
}
