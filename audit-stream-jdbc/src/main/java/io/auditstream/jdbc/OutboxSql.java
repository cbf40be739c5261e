package io.auditstream.jdbc;

/**
 * The outbox's statements that every supported database reads alike; those that differ are the
 * {@link Dialect}'s. Internal; may change without notice.
 */
final class OutboxSql {
  static final String BACKLOGS = "SELECT destination_id, COUNT(*), SUM(size) FROM deliveries"
      + " WHERE state IN ('pending', 'leased') GROUP BY destination_id";

  static final String FIND = "SELECT seq, state, size FROM deliveries WHERE event_id = ? AND destination_id = ?";

  static final String MARK_DELIVERED = "UPDATE deliveries SET state = 'delivered', delivered_at = ? WHERE seq = ?";

  static final String DELETE = "DELETE FROM deliveries WHERE seq = ?";

  static final String DELETE_EVENT_IF_UNREFERENCED = "DELETE FROM events WHERE event_id = ?"
      + " AND NOT EXISTS (SELECT 1 FROM deliveries WHERE event_id = ?)";

  static final String RESCHEDULE = "UPDATE deliveries SET state = 'pending', attempts = ?, next_attempt_at = ?,"
      + " last_error = ? WHERE event_id = ? AND destination_id = ? AND state IN ('pending', 'leased')";

  static final String MARK_DEAD = "UPDATE deliveries SET state = 'dead', attempts = ?, last_error = ?, dead_at = ?,"
      + " dead_reason = ? WHERE seq = ?";

  static final String RELEASE = "UPDATE deliveries SET state = 'pending'"
      + " WHERE event_id = ? AND destination_id = ? AND state = 'leased'";

  static final String EVENTS_OF_DESTINATION = "SELECT DISTINCT event_id FROM deliveries WHERE destination_id = ?";

  static final String DELETE_DESTINATION = "DELETE FROM deliveries WHERE destination_id = ?";

  static final String DEAD_LETTERS = "SELECT d.event_id, d.attempts, d.enqueued_at, d.dead_at, d.dead_reason,"
      + " e.payload FROM deliveries d JOIN events e ON e.event_id = d.event_id"
      + " WHERE d.destination_id = ? AND d.state = 'dead' ORDER BY d.dead_at, d.seq LIMIT ?";

  static final String DEAD_LETTER_COUNT = "SELECT COUNT(*) FROM deliveries"
      + " WHERE destination_id = ? AND state = 'dead'";

  // A redelivered dead letter starts over: no attempts, due now, and its age (which bounds its retries)
  // counted from now.
  static final String REDELIVER = "UPDATE deliveries SET state = 'pending', attempts = 0, enqueued_at = ?,"
      + " next_attempt_at = ?, last_error = NULL, dead_at = NULL, dead_reason = NULL WHERE seq = ?";

  static final String DEAD_SINCE = "SELECT seq, size FROM deliveries"
      + " WHERE destination_id = ? AND state = 'dead' AND dead_at >= ?";

  static final String COUNT_BACKLOG = "SELECT COUNT(*) FROM deliveries"
      + " WHERE destination_id = ? AND state IN ('pending', 'leased')";

  static final String COUNT_EVENTS = "SELECT COUNT(*) FROM events";

  static final String COUNT_DELIVERIES = "SELECT COUNT(*) FROM deliveries";

  private OutboxSql() {}
}
