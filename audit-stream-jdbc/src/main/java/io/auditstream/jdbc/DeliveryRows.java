package io.auditstream.jdbc;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.LogText;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's reads and writes of single delivery rows, and the rebuilding of their events from the
 * stored payloads. Used inside the outbox's transactions. Internal; may
 * change without notice.
 */
final class DeliveryRows {
  private static final Logger log = LoggerFactory.getLogger(JdbcOutbox.class);

  /** A delivery's row as the look-ups by key need it. */
  record Row(long seq, String state, long size) {
    /** Whether it is pending or leased: in its destination's backlog. */
    boolean inBacklog() {
      return state.equals("pending") || state.equals("leased");
    }
  }

  /** A due row that a lease selected, with its payload. */
  record DueRow(long seq, String eventId, int attempts, long enqueuedAt, long nextAttemptAt, String lastError,
      long size, byte[] payload) {}

  private final Function<byte[], AuditEvent> decoder;
  private final String location;

  DeliveryRows(Function<byte[], AuditEvent> decoder, String location) {
    this.decoder = decoder;
    this.location = location;
  }

  /** The row of {@code key}, or null. */
  Row find(Transaction d, QueuedDelivery.Key key) throws SQLException {
    PreparedStatement select = d.statement(OutboxSql.FIND);
    select.setString(1, key.eventId());
    select.setString(2, key.destinationId().value());
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? new Row(rs.getLong(1), rs.getString(2), rs.getLong(3)) : null;
    }
  }

  /**
   * The rows {@code select} reads (a destination's leasable rows, oldest first, see {@link
   * LeaseClaims#leasable}) up to the first that is not due at {@code now}: head of line, so that no
   * newer delivery goes before one waiting for its retry.
   */
  List<DueRow> due(PreparedStatement select, Instant now) throws SQLException {
    long dueBy = EpochNanos.of(now);
    List<DueRow> rows = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        if (rs.getLong(5) > dueBy) {
          break;
        }
        rows.add(new DueRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
            rs.getString(6), rs.getLong(7), rs.getBytes(8)));
      }
    }
    return rows;
  }

  /** The ids of every event the destination has a row for, whatever its state. */
  List<String> eventsOf(Transaction d, DestinationId destination) throws SQLException {
    PreparedStatement select = d.statement(OutboxSql.EVENTS_OF_DESTINATION);
    select.setString(1, destination.value());
    List<String> events = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        events.add(rs.getString(1));
      }
    }
    return events;
  }

  static void markDead(Transaction d, long seq, int attempts, String lastError, Instant at, String reason)
      throws SQLException {
    PreparedStatement mark = d.statement(OutboxSql.MARK_DEAD);
    mark.setInt(1, attempts);
    setNullable(mark, 2, lastError);
    mark.setLong(3, EpochNanos.of(at));
    mark.setString(4, reason);
    mark.setLong(5, seq);
    mark.executeUpdate();
  }

  static long count(Transaction d, String sql, String parameter) throws SQLException {
    PreparedStatement select = d.statement(sql);
    if (parameter != null) {
      select.setString(1, parameter);
    }
    try (ResultSet rs = select.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * The event of a stored payload, or empty (logged) when the decoder cannot read it: the delivery
   * can then never be sent as it was accepted.
   */
  Optional<EncodedEvent> decode(DestinationId destination, String eventId, byte[] payload) {
    return decode(eventId, payload, "of destination " + destination);
  }

  /**
   * The event of a stored payload, or empty (logged, naming the event id and {@code whose}) when the
   * decoder cannot read it.
   */
  Optional<EncodedEvent> decode(String eventId, byte[] payload, String whose) {
    try {
      AuditEvent event = decoder.apply(payload);
      if (event != null) {
        return Optional.of(new EncodedEvent(event, payload));
      }
      log.error("Outbox {}: the decoder returned no event for stored event {} {}", location, LogText.escape(eventId),
          whose);
    } catch (RuntimeException e) {
      // The exception's class only: a decoder's message may quote the payload.
      log.error("Outbox {}: stored event {} {} could not be decoded ({})", location, LogText.escape(eventId), whose,
          e.getClass().getName());
    }
    return Optional.empty();
  }

  static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }
}
