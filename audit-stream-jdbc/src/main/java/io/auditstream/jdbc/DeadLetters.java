package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The outbox's dead letters: turning deliveries into dead letters, reading them back, and redelivering
 * them. Each method runs inside one of the outbox's transactions and keeps the destinations' backlogs
 * in step with the rows it changes.
 *
 * <p>Thread-safe (stateless). Internal; may change without notice.
 */
final class DeadLetters {
  private final DeliveryRows rows;
  private final Backlogs backlogs;

  DeadLetters(DeliveryRows rows, Backlogs backlogs) {
    this.rows = rows;
    this.backlogs = backlogs;
  }

  /**
   * Turns those of {@code deliveries} that are pending or leased into dead letters, and returns how
   * many they were; ignores the rest.
   */
  int store(Transaction d, Collection<QueuedDelivery> deliveries, Instant at, String reason) throws SQLException {
    int stored = 0;
    for (QueuedDelivery q : deliveries) {
      DeliveryRows.Row r = rows.find(d, q.key());
      if (r != null && r.inBacklog()) {
        DeliveryRows.markDead(d, r.seq(), q.attempts(), q.lastError().orElse(null), at, reason);
        backlogs.add(q.destinationId(), -1, -r.size());
        stored++;
      }
    }
    return stored;
  }

  /**
   * The destination's dead letters in the order they were given up on, at most {@code limit}; one whose
   * payload cannot be decoded is left out.
   */
  List<DeadLetter> list(Transaction d, DestinationId destination, int limit) throws SQLException {
    PreparedStatement select = d.statement(OutboxSql.DEAD_LETTERS);
    select.setString(1, destination.value());
    select.setInt(2, limit);
    List<DeadLetter> out = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        int attempts = rs.getInt(2);
        Instant enqueuedAt = EpochNanos.toInstant(rs.getLong(3));
        Instant deadAt = EpochNanos.toInstant(rs.getLong(4));
        String reason = rs.getString(5);
        rows.decode(destination, rs.getString(1), rs.getBytes(6))
            .ifPresent(event -> out.add(new DeadLetter(destination, event, enqueuedAt, attempts, deadAt, reason)));
      }
    }
    return out;
  }

  int count(Transaction d, DestinationId destination) throws SQLException {
    return (int) DeliveryRows.count(d, OutboxSql.DEAD_LETTER_COUNT, destination.value());
  }

  /** Makes the named dead letters of the destination pending again; returns how many there were. */
  int redeliver(Transaction d, DestinationId destination, Collection<String> eventIds, Instant now) throws SQLException {
    List<DeliveryRows.Row> dead = new ArrayList<>();
    for (String id : new LinkedHashSet<>(eventIds)) {
      DeliveryRows.Row r = rows.find(d, new QueuedDelivery.Key(destination, id));
      if (r != null && r.state().equals("dead")) {
        dead.add(r);
      }
    }
    return redeliver(d, destination, dead, now);
  }

  /** Makes the destination's dead letters given up on at or after {@code since} pending again. */
  int redeliverSince(Transaction d, DestinationId destination, Instant since, Instant now) throws SQLException {
    PreparedStatement select = d.statement(OutboxSql.DEAD_SINCE);
    select.setString(1, destination.value());
    select.setLong(2, EpochNanos.of(since));
    List<DeliveryRows.Row> dead = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        dead.add(new DeliveryRows.Row(rs.getLong(1), "dead", rs.getLong(2)));
      }
    }
    return redeliver(d, destination, dead, now);
  }

  /** Makes dead rows pending again, starting over at {@code now}, in their backlog's bounds afterwards. */
  private int redeliver(Transaction d, DestinationId destination, List<DeliveryRows.Row> dead, Instant now)
      throws SQLException {
    PreparedStatement update = d.statement(OutboxSql.REDELIVER);
    long at = EpochNanos.of(now);
    for (DeliveryRows.Row r : dead) {
      update.setLong(1, at);
      update.setLong(2, at);
      update.setLong(3, r.seq());
      update.executeUpdate();
      backlogs.add(destination, 1, r.size());
    }
    return dead.size();
  }
}
