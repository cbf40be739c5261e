package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.ConflictException;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import io.auditstream.testing.ReceivedEvent;
import io.auditstream.testing.RecordingSinkProvider;
import io.auditstream.testing.TestAccessPolicy;
import io.auditstream.testing.TestDestinations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two streamers (two host instances) on one PostgreSQL database, each with its own connection pool:
 * they share destinations, delivery and the group rules, and the transactional outbox delivers what
 * the host's transaction committed and nothing it rolled back.
 */
class TwoInstancesEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RecordingSinkProvider sink = RecordingSinkProvider.create();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final String schema = PostgresFixture.freshSchema();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private AuditStreamer instance(String id) {
    return instance(id, EmbeddedStore.DEFAULT_DELIVERED_RETENTION);
  }

  private AuditStreamer instance(String id, Duration retention) {
    PostgresStore store = PostgresStore.builder(pool())
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId(id).eventDecoder(AuditEventJson::decode)
        .leaseDuration(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).deliveredRetention(retention)
        .open();
    AuditStreamer streamer = AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme").grant("alice", "globex"))
        .destinationStore(store.destinations())
        .deliveryQueue(store.outbox())
        .addSinkProvider(sink)
        .closeTimeout(Duration.ofSeconds(2))
        .build();
    open.add(streamer);
    return streamer;
  }

  /** A pool of its own, as each host instance has; closed after the test. */
  private HikariDataSource pool() {
    HikariDataSource pool = PostgresFixture.pool(4);
    open.add(pool);
    return pool;
  }

  private long rows(String table) throws Exception {
    return PostgresFixture.number(pool(), "SELECT COUNT(*) FROM " + schema + "." + table);
  }

  private static AuditEvent event(String group, int i) {
    return AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, (long) i, group + "/p" + i).build();
  }

  private Set<String> receivedIds(DestinationId id) {
    Set<String> ids = new HashSet<>();
    for (ReceivedEvent r : sink.received(id)) {
      ids.add(r.event().id());
    }
    return ids;
  }

  @Test
  void everyEventStreamedThroughEitherInstanceReachesEveryDestinationThatWantsIt() throws Exception {
    AuditStreamer setup = instance("setup");
    List<Destination> destinations = new ArrayList<>();
    for (String group : List.of("acme", "globex")) {
      for (int i = 0; i < 2; i++) {
        destinations.add(setup.destinations().create(ALICE, group, TestDestinations.draft().name("d" + i).build()));
      }
    }
    AuditStreamer a = instance("a");
    AuditStreamer b = instance("b");
    int perThread = 150;
    ExecutorService producers = Executors.newFixedThreadPool(4);
    Map<String, Set<String>> streamedByGroup = new HashMap<>();
    List<Future<Map.Entry<String, List<AuditEvent>>>> produced = new ArrayList<>();
    try {
      for (AuditStreamer s : List.of(a, b)) {
        for (String group : List.of("acme", "globex")) {
          produced.add(producers.submit(() -> {
            List<AuditEvent> events = new ArrayList<>();
            List<CompletableFuture<Void>> stored = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
              AuditEvent e = event(group, i);
              events.add(e);
              stored.add(s.submit(e));
            }
            CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            return Map.entry(group, events);
          }));
        }
      }
      for (Future<Map.Entry<String, List<AuditEvent>>> f : produced) {
        Map.Entry<String, List<AuditEvent>> streamed = f.get(40, TimeUnit.SECONDS);
        for (AuditEvent e : streamed.getValue()) {
          streamedByGroup.computeIfAbsent(streamed.getKey(), g -> new HashSet<>()).add(e.id());
        }
      }
    } finally {
      producers.shutdownNow();
    }

    for (Destination d : destinations) {
      Set<String> expected = streamedByGroup.get(d.groupPath());
      assertThat(expected).hasSize(2 * perThread);
      Await.until(WAIT, () -> receivedIds(d.id()).containsAll(expected),
          "every event of group " + d.groupPath() + " delivered to " + d.name());
      assertThat(receivedIds(d.id())).as("nothing of another group").isEqualTo(expected);
    }
    long deliveries = sink.received().size();
    long distinct = destinations.stream().mapToLong(d -> receivedIds(d.id()).size()).sum();
    System.out.printf("two instances: %d deliveries, %d duplicates%n", deliveries, deliveries - distinct);
    assertThat(deliveries - distinct).as("no instance was killed: no duplicates").isZero();
  }

  @Test
  void aDestinationCreatedThroughOneInstanceGetsEventsStreamedThroughTheOtherWithinFiveSeconds() throws Exception {
    AuditStreamer a = instance("a");
    AuditStreamer b = instance("b");

    Destination d = a.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    long created = System.nanoTime();
    int i = 0;
    while (sink.received(d.id()).isEmpty()) {
      assertThat(Duration.ofNanos(System.nanoTime() - created)).as("delivered within 5 s of its creation")
          .isLessThan(Duration.ofSeconds(5));
      assertThat(b.stream(event("acme", i++))).isTrue();
      Thread.sleep(50);
    }

    a.destinations().delete(ALICE, d.id());
    long deleted = System.nanoTime();
    Await.until(Duration.ofSeconds(5), () -> {
      int before = sink.received(d.id()).size();
      b.stream(event("acme", 0));
      return b.flush(Duration.ofSeconds(1)) && sink.received(d.id()).size() == before;
    }, "the other instance to stop routing to the deleted destination");
    assertThat(Duration.ofNanos(System.nanoTime() - deleted)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void twoInstancesCreatingTheSameNameAtOnceExactlyOneSucceeds() throws Exception {
    AuditStreamer a = instance("a");
    AuditStreamer b = instance("b");
    // As many rounds as the group may hold destinations of one kind: each round adds one.
    for (int round = 0; round < AuditStreamer.DEFAULT_MAX_DESTINATIONS_PER_KIND; round++) {
      String name = "SIEM-" + round;
      List<Object> outcomes = race(
          () -> a.destinations().create(ALICE, "acme", TestDestinations.draft().name(name).build()),
          () -> b.destinations().create(ALICE, "acme", TestDestinations.draft().name(name).build()));
      assertThat(outcomes).filteredOn(o -> o instanceof Destination).as("round %d: %s", round, outcomes).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof ConflictException).hasSize(1);
    }
    assertThat(a.destinations().list(ALICE, "acme")).hasSize(AuditStreamer.DEFAULT_MAX_DESTINATIONS_PER_KIND);
  }

  @Test
  void twoInstancesCreatingTheLastDestinationOfAKindAtOnceExactlyOneSucceeds() throws Exception {
    AuditStreamer a = instance("a");
    AuditStreamer b = instance("b");
    for (int i = 0; i < AuditStreamer.DEFAULT_MAX_DESTINATIONS_PER_KIND - 1; i++) {
      a.destinations().create(ALICE, "acme", TestDestinations.draft().name("d" + i).build());
    }
    List<Object> outcomes = race(
        () -> a.destinations().create(ALICE, "acme", TestDestinations.draft().name("from-a").build()),
        () -> b.destinations().create(ALICE, "acme", TestDestinations.draft().name("from-b").build()));

    assertThat(outcomes).filteredOn(o -> o instanceof Destination).as("%s", outcomes).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ConflictException).singleElement()
        .satisfies(e -> assertThat(((ConflictException) e).getMessage()).contains("at most 5"));
    assertThat(b.destinations().list(ALICE, "acme")).hasSize(AuditStreamer.DEFAULT_MAX_DESTINATIONS_PER_KIND);
  }

  @Test
  void anEventAppendedInAHostTransactionIsDeliveredIfAndOnlyIfTheTransactionCommits() throws Exception {
    AuditStreamer a = instance("a");
    AuditStreamer b = instance("b");
    // Created through a just before b appends: whichever instance routes the inbox looks at the store first.
    Destination d = a.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    DataSource host = pool();
    try (Connection c = host.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + schema + ".projects (path TEXT PRIMARY KEY)");
    }
    AuditEvent rolledBack = event("acme", 1);
    AuditEvent committed = event("acme", 2);
    try (Connection c = host.getConnection()) {
      c.setAutoCommit(false);
      insertProject(c, "acme/p1");
      b.streamInTransaction(c, rolledBack);
      c.rollback();
      insertProject(c, "acme/p2");
      b.streamInTransaction(c, committed);
      c.commit();
    }

    Await.until(WAIT, () -> receivedIds(d.id()).contains(committed.id()), "the committed event delivered");
    // Several polls of both instances later, the rolled-back event is still nowhere.
    Thread.sleep(1_000);
    assertThat(a.flush(WAIT)).isTrue();
    assertThat(b.flush(WAIT)).isTrue();
    assertThat(receivedIds(d.id())).containsExactly(committed.id());
    assertThat(sink.received(d.id())).hasSize(1);
  }

  @Test
  void theOutboxTablesLevelOffUnderSteadyLoad() throws Exception {
    AuditStreamer a = instance("a", Duration.ZERO);
    AuditStreamer b = instance("b", Duration.ZERO);
    Destination d = a.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    Await.until(WAIT, () -> {
      b.stream(event("acme", 0));
      return !sink.received(d.id()).isEmpty();
    }, "both instances to route to the destination");
    List<Long> rows = new ArrayList<>();
    for (int wave = 0; wave < 5; wave++) {
      for (int i = 0; i < 200; i++) {
        (i % 2 == 0 ? a : b).stream(event("acme", i));
      }
      assertThat(a.flush(WAIT)).isTrue();
      assertThat(b.flush(WAIT)).isTrue();
      rows.add(rows("events") + rows("deliveries"));
    }
    assertThat(rows).as("rows after each wave of 200 events").allSatisfy(n -> assertThat(n).isZero());
  }

  private void insertProject(Connection c, String path) throws Exception {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO " + schema + ".projects (path) VALUES (?)")) {
      p.setString(1, path);
      p.executeUpdate();
    }
  }

  /** Runs both at the same moment; each outcome is what it returned or the exception it threw. */
  private static List<Object> race(Callable<?> first, Callable<?> second) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (Callable<?> c : List.of(first, second)) {
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return c.call();
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
