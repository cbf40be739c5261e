package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.ConflictException;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.WriteOnlySecret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two host instances, each with a store of its own, sharing one PostgreSQL destination store. */
class SharedDestinationStoreTest {
  private final String schema = PostgresFixture.freshSchema();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<PostgresStore> stores = new ArrayList<>();

  private JdbcDestinationStore open(String instanceId) {
    HikariDataSource pool = PostgresFixture.pool(4);
    pools.add(pool);
    PostgresStore store = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId(instanceId)
        .eventDecoder(TestEvents::decode)
        .destinationKinds(io.auditstream.api.destination.DestinationKinds.discover()
            .with(List.of(PluginConfig.DESTINATION_KIND)))
        .open();
    stores.add(store);
    return store.destinations();
  }

  @AfterEach
  void close() {
    stores.forEach(PostgresStore::close);
    pools.forEach(HikariDataSource::close);
  }

  private static Destination destination(String id, String group, String name) {
    return Destination.builder().id(DestinationId.of(id)).groupPath(group).name(name)
        .verificationToken(Secret.of("token-abcdefgh-" + id))
        .config(HttpDestinationConfig.of("https://siem.example.com/" + id))
        .createdAt(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  @Test
  void aDestinationSavedThroughOneInstanceIsReadThroughTheOtherWithEveryField() {
    JdbcDestinationStore a = open("host-a");
    JdbcDestinationStore b = open("host-b");
    Destination plugin = destination("p1", "acme", "Plugin").toBuilder()
        .config(new PluginConfig("https://hooks.example.com/x", List.of("eu"), WriteOnlySecret.of("plugin-secret")))
        .paused("receiver moves").build();
    Destination batched = destination("h1", "acme", "Batched").toBuilder()
        .config(HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/batched")
            .batching(new HttpBatching(1000, 2L * 1024 * 1024, Duration.ofMillis(5))).build())
        .createdAt(Instant.parse("2026-01-02T00:00:00Z")).build();

    a.save(plugin);
    a.save(batched);

    assertThat(b.find(plugin.id())).contains(plugin);
    assertThat(b.find(batched.id())).contains(batched);
    assertThat(b.findByGroup("acme")).containsExactly(plugin, batched);
  }

  @Test
  void theChangeCountMovesWithEverySaveAndDeleteMadeThroughTheOtherInstance() {
    JdbcDestinationStore a = open("host-a");
    JdbcDestinationStore b = open("host-b");
    long before = a.changeCount().orElseThrow();

    b.save(destination("d1", "acme", "One"));
    assertThat(a.changeCount()).hasValue(before + 1);
    b.save(destination("d1", "acme", "Renamed"));
    assertThat(a.changeCount()).hasValue(before + 2);
    assertThat(b.delete(DestinationId.of("d1"))).isTrue();
    assertThat(a.changeCount()).hasValue(before + 3);
    assertThat(b.delete(DestinationId.of("d1"))).isFalse();
    assertThat(a.changeCount()).as("nothing changed").hasValue(before + 3);
  }

  @Test
  void aSecondDestinationWithTheSameNameInAGroupIsAConflictOnName() {
    JdbcDestinationStore a = open("host-a");
    JdbcDestinationStore b = open("host-b");
    a.save(destination("d1", "acme", "SIEM"));

    assertThatThrownBy(() -> b.save(destination("d2", "acme", "SIEM")))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"))
        .hasMessageStartingWith("name must be unique in group 'acme'");
    b.save(destination("d3", "globex", "SIEM"));
    assertThat(a.findAll()).extracting(d -> d.id().value()).containsExactly("d1", "d3");
  }

  @Test
  void aGroupChangeThatThrowsKeepsNothingAndPropagatesItsException() {
    JdbcDestinationStore a = open("host-a");
    long before = a.changeCount().orElseThrow();
    IllegalStateException failure = new IllegalStateException("rule broken");

    assertThatThrownBy(() -> a.changeGroup("acme", change -> {
      change.save(destination("d1", "acme", "One"));
      assertThat(change.destinations()).extracting(Destination::name).containsExactly("One");
      throw failure;
    })).isSameAs(failure);

    assertThat(a.findAll()).isEmpty();
    assertThat(a.changeCount()).hasValue(before);
  }

  @Test
  void racingGroupChangesThatCreateTheSameNameThroughTwoInstancesLetExactlyOneWin() throws Exception {
    JdbcDestinationStore a = open("host-a");
    JdbcDestinationStore b = open("host-b");
    CountDownLatch firstInside = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // The first reads, then lingers before it writes: without the group's lock the second would read
      // meanwhile, find no such name, and fail on the database's constraint instead of on its own rule.
      Future<String> first = pool.submit(() -> createUnlessNamed(a, "d1", () -> {
        firstInside.countDown();
        Thread.sleep(300);
      }));
      assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
      Future<String> second = pool.submit(() -> createUnlessNamed(b, "d2", () -> {}));

      assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo("created");
      assertThat(second.get(20, TimeUnit.SECONDS)).as("it read the first one's commit").isEqualTo("seen");
      assertThat(b.findByGroup("acme")).extracting(d -> d.id().value()).containsExactly("d1");
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void manyRacingCreatesOfOneNameFromBothInstancesStoreExactlyOne() throws Exception {
    JdbcDestinationStore a = open("host-a");
    JdbcDestinationStore b = open("host-b");
    int racers = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        JdbcDestinationStore via = i % 2 == 0 ? a : b;
        String id = "d" + i;
        outcomes.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return createUnlessNamed(via, id, () -> {});
        }));
      }
      start.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> f : outcomes) {
        results.add(f.get(20, TimeUnit.SECONDS));
      }

      assertThat(results).as("the others read the winner's commit").containsOnly("created", "seen")
          .containsOnlyOnce("created");
      assertThat(a.findByGroup("acme")).hasSize(1);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The engine's rule, in one group change: create "SIEM" unless the group has one. */
  private static String createUnlessNamed(JdbcDestinationStore store, String id, Pause pause) {
    try {
      return store.changeGroup("acme", change -> {
        if (change.destinations().stream().anyMatch(d -> d.name().equals("SIEM"))) {
          return "seen";
        }
        pause.runUnchecked();
        change.save(destination(id, "acme", "SIEM"));
        return "created";
      });
    } catch (ConflictException e) {
      return "constraint";
    }
  }

  @FunctionalInterface
  private interface Pause {
    void run() throws InterruptedException;

    default void runUnchecked() {
      try {
        run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
