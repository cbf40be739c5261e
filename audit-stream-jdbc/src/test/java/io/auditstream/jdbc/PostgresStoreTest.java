package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static io.auditstream.jdbc.TestEvents.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.testing.TestClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opening a PostgreSQL store: its settings, its schema, and instances that start or purge at once. */
class PostgresStoreTest {
  private final String schema = PostgresFixture.freshSchema();
  private final HikariDataSource pool = PostgresFixture.pool(8);
  private final List<PostgresStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(PostgresStore::close);
    pool.close();
  }

  private PostgresStore.Builder builder() {
    return PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).eventDecoder(TestEvents::decode);
  }

  private PostgresStore open(PostgresStore.Builder builder) {
    PostgresStore store = builder.open();
    stores.add(store);
    return store;
  }

  @Test
  void instancesThatStartAtOnceOnAnEmptyDatabaseApplyEachSchemaVersionOnce() throws Exception {
    int instances = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(instances);
    try {
      List<Future<PostgresStore>> opened = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        String id = "host-" + i;
        opened.add(threads.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return builder().instanceId(id).open();
        }));
      }
      start.countDown();
      for (Future<PostgresStore> f : opened) {
        PostgresStore store = f.get(30, TimeUnit.SECONDS);
        stores.add(store);
        assertThat(store.schemaVersion()).isEqualTo(2);
      }
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(PostgresFixture.number(pool, "SELECT COUNT(*) FROM " + schema + ".schema_version")).isEqualTo(2);
  }

  @Test
  void leavesTheHostsConnectionsAsItFoundThem() throws Exception {
    PostgresStore store = open(builder());
    store.outbox().offer(List.of(delivery(DestinationId.of("d"), "e1", T0)));

    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW search_path")) {
      rs.next();
      assertThat(rs.getString(1)).doesNotContain(schema);
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void opensInASchemaCreatedBeforehand() throws Exception {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }

    assertThat(open(builder()).schemaVersion()).isEqualTo(2);
  }

  @Test
  void refusesSettingsThatBreakTheirRulesNamingThem() {
    assertThatThrownBy(() -> builder().schema("Audit-Stream").open()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schema must be a lower-case SQL identifier");
    assertThatThrownBy(() -> builder().schema("x; DROP TABLE y").open()).hasMessageStartingWith("schema must be");
    assertThatThrownBy(() -> builder().instanceId(" ").open()).hasMessageStartingWith("instanceId must be");
    assertThatThrownBy(() -> builder().leaseDuration(Duration.ZERO).open())
        .hasMessageStartingWith("leaseDuration must be PT1S to PT24H");
    assertThatThrownBy(() -> builder().pollInterval(null).open()).hasMessageStartingWith("pollInterval must be");
    assertThatThrownBy(() -> builder().maxEventsPerDestination(0).open())
        .hasMessageStartingWith("maxEventsPerDestination must be at least 1");
    assertThatThrownBy(() -> PostgresStore.builder(pool).open()).hasMessageStartingWith("eventDecoder is required");
  }

  @Test
  void twoInstancesPurgingAtOnceKeepTheRowCountsLevelUnderSteadyLoad() throws Exception {
    int perRound = 50;
    int rounds = 40;
    List<DestinationId> destinations = List.of(DestinationId.of("a"), DestinationId.of("b"));
    // Ten minutes of retention at one round a minute, plus the round a purge waits for its interval, for
    // each of the two destinations.
    long bound = 12L * 2 * perRound;
    ExecutorService threads = Executors.newFixedThreadPool(destinations.size());
    try {
      List<Future<List<Long>>> loads = new ArrayList<>();
      for (DestinationId d : destinations) {
        // Each instance its own clock: both purge whatever the retention lets go, whoever delivered it.
        TestClock clock = TestClock.at(T0);
        JdbcOutbox outbox = open(builder().instanceId("host-" + d.value()).clock(clock)
            .deliveredRetention(Duration.ofMinutes(10))).outbox();
        loads.add(threads.submit(() -> {
          List<Long> rows = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            List<QueuedDelivery> batch = new ArrayList<>();
            for (int i = 0; i < perRound; i++) {
              batch.add(delivery(d, d.value() + "-" + round + "-" + i, clock.instant()));
            }
            outbox.offer(batch);
            outbox.remove(outbox.lease(d, perRound, clock.instant()));
            clock.advance(Duration.ofMinutes(1));
            rows.add(OutboxProbe.storedRows(outbox)[1]);
          }
          return rows;
        }));
      }
      for (Future<List<Long>> f : loads) {
        assertThat(f.get(50, TimeUnit.SECONDS).subList(20, rounds)).allSatisfy(rows ->
            assertThat(rows).isLessThanOrEqualTo(bound));
      }
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    long deliveries = PostgresFixture.number(pool, "SELECT COUNT(*) FROM " + schema + ".deliveries");
    long events = PostgresFixture.number(pool, "SELECT COUNT(*) FROM " + schema + ".events");
    assertThat(deliveries).isLessThanOrEqualTo(bound);
    assertThat(events).as("events follow their deliveries").isEqualTo(deliveries);
  }
}
