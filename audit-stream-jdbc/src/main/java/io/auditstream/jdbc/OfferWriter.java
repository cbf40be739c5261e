package io.auditstream.jdbc;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes the deliveries of one offer inside the outbox's transaction: decides, in the order given,
 * which of them are accepted, then inserts their events and their deliveries as two JDBC batches, so
 * that an offer of many deliveries does not pay a statement execution per row.
 *
 * <p>The outcomes and the rows are those of inserting one delivery after the other. A key already held
 * (stored earlier, or offered earlier in the same call) is accepted without a second copy and takes no
 * room; a new one is accepted while its destination has room. A destination with room for every
 * delivery the call offers it needs no decision: its backlog grows by the rows the batch reports
 * inserted. For any other, whether a key is held is looked up before its bounds are checked.
 *
 * <p>Where one process holds the database, its writes are serialised, so the decisions are exact;
 * where several share it, they are made on this process's counts (see {@link Backlogs}).
 *
 * <p>Thread-safe (stateless). Internal; may change without notice.
 */
final class OfferWriter {
  /** A delivery added to the batch; {@code counted} when its backlog already counts it. */
  private record Batched(DestinationId destination, int size, boolean counted) {}

  private final Dialect dialect;
  private final DeliveryRows rows;
  private final Backlogs backlogs;

  OfferWriter(Dialect dialect, DeliveryRows rows, Backlogs backlogs) {
    this.dialect = dialect;
    this.rows = rows;
    this.backlogs = backlogs;
  }

  /**
   * Stores the deliveries that are accepted and returns each one's outcome, in order.
   *
   * @param now when the events are stored, in nanoseconds since the epoch
   */
  List<Offer> write(Transaction d, List<QueuedDelivery> deliveries, long now) throws SQLException {
    PreparedStatement insertEvent = d.statement(dialect.insertEventIfAbsent());
    PreparedStatement insertDelivery = d.statement(dialect.insertDeliveryIfAbsent());
    try {
      Set<DestinationId> roomForAll = destinationsWithRoomForAll(deliveries);
      // In id order: two offers that share events (from two processes) lock their rows in the same order.
      Map<String, byte[]> events = new TreeMap<>();
      Set<QueuedDelivery.Key> offered = new HashSet<>();
      List<Batched> batched = new ArrayList<>(deliveries.size());
      List<Offer> outcomes = new ArrayList<>(deliveries.size());
      for (QueuedDelivery q : deliveries) {
        byte[] payload = q.event().json();
        boolean nearBound = !roomForAll.contains(q.destinationId());
        if (nearBound) {
          // Decided here, as row by row: a held key takes no room, so whether it is held comes first.
          if (offered.contains(q.key()) || rows.find(d, q.key()) != null) {
            outcomes.add(Offer.ACCEPTED);
            continue;
          }
          if (!backlogs.hasRoomFor(q.destinationId(), 1, payload.length)) {
            outcomes.add(Offer.DESTINATION_FULL);
            continue;
          }
          offered.add(q.key());
          backlogs.add(q.destinationId(), 1, payload.length);
        }
        events.putIfAbsent(q.eventId(), payload);
        insertDelivery.setString(1, q.destinationId().value());
        insertDelivery.setString(2, q.eventId());
        insertDelivery.setInt(3, q.attempts());
        insertDelivery.setLong(4, EpochNanos.of(q.enqueuedAt()));
        insertDelivery.setLong(5, EpochNanos.of(q.nextAttemptAt()));
        DeliveryRows.setNullable(insertDelivery, 6, q.lastError().orElse(null));
        insertDelivery.setLong(7, payload.length);
        insertDelivery.addBatch();
        batched.add(new Batched(q.destinationId(), payload.length, nearBound));
        outcomes.add(Offer.ACCEPTED);
      }
      if (!batched.isEmpty()) {
        // The events first: every delivery row refers to its event's.
        for (Map.Entry<String, byte[]> e : events.entrySet()) {
          insertEvent.setString(1, e.getKey());
          insertEvent.setBytes(2, e.getValue());
          insertEvent.setLong(3, now);
          insertEvent.addBatch();
        }
        insertEvent.executeBatch();
        count(batched, insertDelivery.executeBatch());
      }
      return outcomes;
    } finally {
      // A batch that a failure left unexecuted must not run with the next offer.
      insertEvent.clearBatch();
      insertDelivery.clearBatch();
    }
  }

  /** The destinations whose backlogs have room for every delivery of the call, new or not. */
  private Set<DestinationId> destinationsWithRoomForAll(List<QueuedDelivery> deliveries) {
    Map<DestinationId, long[]> totals = new HashMap<>();
    for (QueuedDelivery q : deliveries) {
      long[] t = totals.computeIfAbsent(q.destinationId(), k -> new long[2]);
      t[0]++;
      t[1] += q.event().json().length;
    }
    Set<DestinationId> roomForAll = new HashSet<>();
    totals.forEach((destination, t) -> {
      if (backlogs.hasRoomFor(destination, t[0], t[1])) {
        roomForAll.add(destination);
      }
    });
    return roomForAll;
  }

  /** Adds the rows the batch inserted to the backlogs that do not count them yet. */
  private void count(List<Batched> batched, int[] inserted) throws SQLException {
    if (inserted.length != batched.size()) {
      throw new SQLException("a batch of " + batched.size() + " delivery inserts reported " + inserted.length);
    }
    for (int i = 0; i < batched.size(); i++) {
      Batched b = batched.get(i);
      if (inserted[i] == Statement.SUCCESS_NO_INFO) {
        throw new SQLException("the driver reported no row counts for a batch of delivery inserts; the outbox"
            + " needs them (with PostgreSQL, leave the connection property reWriteBatchedInserts off)");
      }
      // Anything but 0 or 1 would leave the backlogs wrong: the offer fails instead, is rolled back, and
      // the backlogs are read again.
      if (inserted[i] != 0 && inserted[i] != 1) {
        throw new SQLException("inserting delivery " + i + " of the batch changed " + inserted[i]
            + " rows, where the outbox expected 0 or 1");
      }
      if (!b.counted() && inserted[i] == 1) {
        backlogs.add(b.destination(), 1, b.size());
      } else if (b.counted() && inserted[i] == 0) {
        // Counted as new, yet stored meanwhile by another process sharing the database: it takes no room.
        backlogs.add(b.destination(), -1, -b.size());
      }
    }
  }
}
