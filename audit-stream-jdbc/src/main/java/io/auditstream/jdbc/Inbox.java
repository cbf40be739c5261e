package io.auditstream.jdbc;

import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue.InboxDelivery;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The transactional outbox's inbox ({@code event_inbox}): events that host transactions appended on
 * their own connections, routed into deliveries once they committed. Draining takes the oldest rows
 * that no other transaction holds ({@code FOR UPDATE SKIP LOCKED}), so that several processes drain at
 * once and each event is routed once: its deliveries are written and its row deleted in the same
 * transaction.
 *
 * <p>Thread-safe (stateless). Internal; may change without notice.
 */
final class Inbox {
  private static final String TAKE = "SELECT seq, event_id, payload FROM event_inbox ORDER BY seq LIMIT ?"
      + " FOR UPDATE SKIP LOCKED";

  private static final String DELETE = "DELETE FROM event_inbox WHERE seq = ?";

  private final String append;
  private final DeliveryRows rows;
  private final OfferWriter offers;

  /** The inbox that {@code append} (the dialect's, naming the schema) appends to. */
  Inbox(String append, DeliveryRows rows, OfferWriter offers) {
    this.append = append;
    this.rows = rows;
    this.offers = offers;
  }

  /**
   * Appends the event on the host's connection, in the host's transaction: neither commits nor closes
   * it.
   *
   * @param now when it was appended, in nanoseconds since the epoch
   */
  void append(Connection connection, EncodedEvent event, long now) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(append)) {
      insert.setString(1, event.event().id());
      insert.setBytes(2, event.json());
      insert.setLong(3, now);
      insert.executeUpdate();
    }
  }

  /**
   * Routes up to {@code max} of the oldest appended events, stores their deliveries as an offer does,
   * and deletes them from the inbox. An event the decoder cannot read is logged by its id and deleted:
   * it could never be routed.
   *
   * @param now when the deliveries are stored, in nanoseconds since the epoch
   */
  List<InboxDelivery> drain(Transaction tx, int max, Function<EncodedEvent, List<QueuedDelivery>> router, long now)
      throws SQLException {
    PreparedStatement take = tx.statement(TAKE);
    take.setInt(1, max);
    List<Long> taken = new ArrayList<>();
    List<QueuedDelivery> deliveries = new ArrayList<>();
    try (ResultSet rs = take.executeQuery()) {
      while (rs.next()) {
        taken.add(rs.getLong(1));
        Optional<EncodedEvent> event = rows.decode(rs.getString(2), rs.getBytes(3), "in the inbox (dropped)");
        if (event.isPresent()) {
          deliveries.addAll(router.apply(event.get()));
        }
      }
    }
    List<Offer> outcomes = deliveries.isEmpty() ? List.of() : offers.write(tx, deliveries, now);
    PreparedStatement delete = tx.statement(DELETE);
    for (long seq : taken) {
      delete.setLong(1, seq);
      delete.addBatch();
    }
    if (!taken.isEmpty()) {
      delete.executeBatch();
    }
    List<InboxDelivery> out = new ArrayList<>(deliveries.size());
    for (int i = 0; i < deliveries.size(); i++) {
      out.add(new InboxDelivery(deliveries.get(i), outcomes.get(i)));
    }
    return out;
  }
}
