package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeliveryQueue.InboxDelivery;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events appended in the host's own transactions, routed by the instances that drain the inbox. */
class TransactionalOutboxTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final DestinationId B = DestinationId.of("dest-b");
  private static final Function<EncodedEvent, List<QueuedDelivery>> TO_A_AND_B =
      e -> List.of(new QueuedDelivery(A, e, T0), new QueuedDelivery(B, e, T0));

  @TempDir Path dir;

  private final String schema = PostgresFixture.freshSchema();
  private final HikariDataSource hostPool = PostgresFixture.pool(4);
  private final List<HikariDataSource> pools = new ArrayList<>(List.of(hostPool));
  private final List<PostgresStore> stores = new ArrayList<>();

  private JdbcOutbox open(String instanceId) {
    HikariDataSource pool = PostgresFixture.pool(4);
    pools.add(pool);
    PostgresStore store = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId(instanceId)
        .eventDecoder(TestEvents::decode).pollInterval(Duration.ofMillis(250)).open();
    stores.add(store);
    return store.outbox();
  }

  @AfterEach
  void close() {
    stores.forEach(PostgresStore::close);
    pools.forEach(HikariDataSource::close);
  }

  /** A business change of the host and the event about it, in one transaction of the host's. */
  private void hostTransaction(JdbcOutbox outbox, String eventId, boolean commit) throws SQLException {
    try (Connection c = hostPool.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS public.projects (name text)");
        s.execute("INSERT INTO public.projects VALUES ('" + eventId + "')");
      }
      outbox.appendInTransaction(c, TestEvents.encoded(eventId));
      assertThat(c.getAutoCommit()).as("left as the host set it").isFalse();
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
    }
  }

  @Test
  void anEventAppendedInAHostTransactionThatRollsBackIsNeverRouted() throws Exception {
    JdbcOutbox outbox = open("host-a");

    hostTransaction(outbox, "rolled-back", false);

    assertThat(outbox.drainInbox(100, TO_A_AND_B)).isEmpty();
    assertThat(outbox.size()).isZero();
  }

  @Test
  void anEventAppendedInACommittedHostTransactionIsRoutedWithItsBytesAndStoredAsAnOfferIs() throws Exception {
    JdbcOutbox outbox = open("host-a");

    hostTransaction(outbox, "e1", true);
    List<InboxDelivery> routed = outbox.drainInbox(100, TO_A_AND_B);

    assertThat(routed).extracting(InboxDelivery::outcome).containsExactly(Offer.ACCEPTED, Offer.ACCEPTED);
    assertThat(routed.get(0).delivery().event()).isEqualTo(TestEvents.encoded("e1"));
    assertThat(outbox.lease(A, 10, T0)).extracting(QueuedDelivery::eventId).containsExactly("e1");
    assertThat(outbox.size(B)).isOne();
    assertThat(outbox.drainInbox(100, TO_A_AND_B)).as("routed once").isEmpty();
    assertThat(outbox.pollInterval()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void twoInstancesDrainingAtOnceRouteEachCommittedEventExactlyOnce() throws Exception {
    JdbcOutbox a = open("host-a");
    JdbcOutbox b = open("host-b");
    int events = 200;
    for (int i = 0; i < events; i++) {
      hostTransaction(a, "e" + i, i % 5 != 4);
    }
    int committed = events - events / 5;

    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<String>>> drainers = new ArrayList<>();
      for (JdbcOutbox outbox : List.of(a, b)) {
        drainers.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          List<String> routed = new ArrayList<>();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          List<InboxDelivery> batch;
          do {
            batch = outbox.drainInbox(7, e -> List.of(new QueuedDelivery(A, e, T0)));
            batch.forEach(d -> routed.add(d.delivery().eventId()));
          } while (!batch.isEmpty() && System.nanoTime() < deadline);
          return routed;
        }));
      }
      start.countDown();
      List<String> all = new ArrayList<>();
      for (Future<List<String>> f : drainers) {
        all.addAll(f.get(40, TimeUnit.SECONDS));
      }

      assertThat(all).hasSize(committed).doesNotHaveDuplicates().noneMatch(id -> id.equals("e4"));
      assertThat(a.lease(A, 1000, T0)).hasSize(committed);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anAppendedEventTheDecoderCannotReadIsDroppedFromTheInbox() throws Exception {
    JdbcOutbox outbox = open("host-a");
    try (Connection c = hostPool.getConnection()) {
      outbox.appendInTransaction(c, new EncodedEvent(TestEvents.event("bad"), "not json".getBytes()));
    }
    hostTransaction(outbox, "good", true);

    assertThat(outbox.drainInbox(100, TO_A_AND_B)).extracting(d -> d.delivery().eventId())
        .containsExactly("good", "good");
    assertThat(PostgresFixture.number(hostPool, "SELECT COUNT(*) FROM " + schema + ".event_inbox")).isZero();
  }

  @Test
  void theEmbeddedStoreHasNoInboxAndNoPolling() throws Exception {
    try (EmbeddedStore store = EmbeddedStore.open(dir, TestEvents::decode);
        Connection c = hostPool.getConnection()) {
      assertThatThrownBy(() -> store.outbox().appendInTransaction(c, TestEvents.encoded("e1")))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(store.outbox().drainInbox(10, TO_A_AND_B)).isEmpty();
      assertThat(store.outbox().pollInterval()).isZero();
      assertThat(store.destinations().changeCount()).isEmpty();
    }
  }
}
