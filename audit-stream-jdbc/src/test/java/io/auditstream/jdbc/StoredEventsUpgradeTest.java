package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries that an earlier version queued, with events its looser rules accepted (an id with {@code /}
 * or a space, an event type with a space or non-ASCII letters, a detail with an unpaired surrogate): the
 * rows are written as that version wrote them, and this version leases them with the very bytes that were
 * stored, or lists them as dead letters, instead of giving them up as unreadable. {@link
 * SqliteStoredEventsUpgradeTest} runs it on the embedded store, {@link PostgresStoredEventsUpgradeTest}
 * on PostgreSQL.
 */
abstract class StoredEventsUpgradeTest {
  static final DestinationId A = DestinationId.of("dest-a");

  private JdbcStore store;

  /** Opens a store on the test's database, decoding with {@link AuditEventJson#decode}. */
  abstract JdbcStore open();

  /** Runs {@code sql} on the closed store's database, with {@code ?} bound to {@code values} as text. */
  abstract void sql(String sql, String... values) throws Exception;

  /** {@code table} as the raw statements name it. */
  abstract String table(String table);

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  /** The payload as an earlier version encoded it. */
  static String payload(String id, String type, String details) {
    return "{\"id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"author_id\":1,\"author_name\":\"Alice\","
        + "\"entity_id\":42,\"entity_type\":\"Group\",\"entity_path\":\"acme\",\"target_id\":null,"
        + "\"target_type\":null,\"target_details\":null,\"ip_address\":null,"
        + "\"created_at\":\"2026-11-25T19:30:00.123Z\",\"details\":" + details + "}";
  }

  /**
   * Queues a placeholder delivery through the store, then, with the store closed, gives its rows the
   * event id and payload an earlier version stored.
   */
  private void storeAsEarlierVersion(String placeholder, String id, String json, boolean dead) throws Exception {
    store = open();
    QueuedDelivery q = TestEvents.delivery(A, placeholder, T0);
    store.outbox().offer(List.of(q));
    if (dead) {
      store.outbox().deadLetter(List.of(q), T0.plusSeconds(1), "refused: HTTP 400");
    }
    store.close();
    store = null;
    sql("INSERT INTO " + table("events") + " (event_id, payload, created_at) SELECT ?, ?, created_at FROM "
        + table("events") + " WHERE event_id = ?", id, json, placeholder);
    sql("UPDATE " + table("deliveries") + " SET event_id = ?, size = ? WHERE event_id = ?", id,
        String.valueOf(json.getBytes(StandardCharsets.UTF_8).length), placeholder);
    sql("DELETE FROM " + table("events") + " WHERE event_id = ?", placeholder);
  }

  private void leasesTheStoredBytes(String id, String type, String details) throws Exception {
    String json = payload(id, type, details);
    storeAsEarlierVersion("placeholder", id, json, false);

    store = open();
    List<QueuedDelivery> leased = store.outbox().lease(A, 10, T0.plusSeconds(1));

    assertThat(leased).extracting(QueuedDelivery::eventId).containsExactly(id);
    assertThat(leased.get(0).event().json()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    assertThat(leased.get(0).event().event().eventType()).isEqualTo(type);
    assertThat(store.outbox().deadLetterCount(A)).as("not given up as unreadable").isZero();
    store.outbox().remove(leased);
    assertThat(store.outbox().size(A)).isZero();
  }

  @Test
  void leasesAQueuedEventWhoseIdHoldsASlash() throws Exception {
    leasesTheStoredBytes("orders/42", "user_created", "{}");
  }

  @Test
  void leasesAQueuedEventWhoseIdHoldsASpace() throws Exception {
    leasesTheStoredBytes("evt 42", "user_created", "{}");
  }

  @Test
  void leasesAQueuedEventWhoseTypeHoldsASpace() throws Exception {
    leasesTheStoredBytes("evt-43", "user created", "{}");
  }

  @Test
  void leasesAQueuedEventWhoseTypeHoldsNonAsciiLetters() throws Exception {
    leasesTheStoredBytes("evt-44", "utilisateur_cr\u00e9\u00e9", "{}");
  }

  @Test
  void leasesAQueuedEventWithAnUnpairedSurrogateInItsDetails() throws Exception {
    leasesTheStoredBytes("evt-45", "user_created", "{\"note\":\"half \\ud83d\"}");
  }

  @Test
  void listsAndRedeliversADeadLetterOfAnEventTheNewRulesRefuse() throws Exception {
    String json = payload("evt 46", "user created", "{\"k\\udc00\":1}");
    storeAsEarlierVersion("placeholder", "evt 46", json, true);

    store = open();
    List<DeadLetter> dead = store.outbox().deadLetters(A, 10);

    assertThat(dead).extracting(DeadLetter::eventId).containsExactly("evt 46");
    assertThat(dead.get(0).event().json()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    assertThat(dead.get(0).reason()).isEqualTo("refused: HTTP 400");
    assertThat(store.outbox().redeliver(A, List.of("evt 46"), T0.plusSeconds(2))).isOne();
    assertThat(store.outbox().lease(A, 10, T0.plusSeconds(3))).extracting(QueuedDelivery::eventId)
        .containsExactly("evt 46");
  }
}
