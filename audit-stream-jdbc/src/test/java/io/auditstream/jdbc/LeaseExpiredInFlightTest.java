package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import io.auditstream.testing.TestAccessPolicy;
import io.auditstream.testing.TestDestinations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance whose delivery takes longer than its lease: the other instance takes the destination over
 * when the lease ends and delivers everything; the first one's attempt then ends (late), and that
 * neither loses nor corrupts anything: the one event in flight is received twice, no row is left leased,
 * the backlogs count nothing, and both instances flush.
 */
class LeaseExpiredInFlightTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final int EVENTS = 30;

  private final String schema = PostgresFixture.freshSchema();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final GatedSinkProvider slow = new GatedSinkProvider();
  private final GatedSinkProvider fast = new GatedSinkProvider();

  @AfterEach
  void closeAll() throws Exception {
    slow.open();
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private AuditStreamer instance(String id, GatedSinkProvider sink) {
    HikariDataSource pool = PostgresFixture.pool(4);
    open.add(pool);
    PostgresStore store = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId(id).eventDecoder(AuditEventJson::decode)
        .leaseDuration(LEASE).pollInterval(Duration.ofMillis(200)).open();
    AuditStreamer streamer = AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
        .destinationStore(store.destinations()).deliveryQueue(store.outbox())
        .addSinkProvider(sink)
        .closeTimeout(Duration.ofSeconds(2))
        .build();
    open.add(streamer);
    return streamer;
  }

  private long rows(String state) throws Exception {
    HikariDataSource pool = PostgresFixture.pool(1);
    try (pool) {
      return PostgresFixture.number(pool, "SELECT COUNT(*) FROM " + schema + ".deliveries WHERE state = '" + state + "'");
    }
  }

  @Test
  void anotherInstanceTakesOverALeaseThatEndedInFlightAndTheLateCompletionCorruptsNothing() throws Exception {
    AuditStreamer a = instance("a", slow);
    Destination d = a.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> "e-" + i).toList();
    List<CompletableFuture<Void>> stored = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      stored.add(a.submit(AuditEvent.builder().id(ids.get(i)).eventType("project_created")
          .entity(EntityType.PROJECT, (long) i, "acme/p" + i).build()));
    }
    CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    // A's first attempt is held by its sink, longer than its lease lasts.
    Await.until(Duration.ofSeconds(10), slow::attemptHeld, "instance a's first attempt in flight");

    fast.open();
    AuditStreamer b = instance("b", fast);
    Await.until(Duration.ofSeconds(20), () -> fast.received().keySet().containsAll(ids),
        "instance b to take over once a's lease ended, and deliver everything");
    assertThat(slow.received()).as("a's attempt is still held").isEmpty();

    // The late owner's attempt ends now, successfully: the event it held was delivered by b already.
    slow.open();
    Await.until(Duration.ofSeconds(10), () -> slow.received().size() == 1, "a's late attempt to end");

    assertThat(a.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(b.flush(Duration.ofSeconds(10))).isTrue();
    Map<String, Integer> all = new HashMap<>(fast.received());
    slow.received().forEach((id, n) -> all.merge(id, n, Integer::sum));
    assertThat(all.keySet()).as("nothing lost").containsExactlyInAnyOrderElementsOf(ids);
    Map<String, Integer> twice = new HashMap<>(all);
    twice.values().removeIf(n -> n == 1);
    assertThat(twice).as("received twice: the one event a had in flight when its lease ended")
        .isEqualTo(Map.of(ids.get(0), 2));
    assertThat(slow.attempts()).as("a attempted nothing more after its lease ended").isEqualTo(1);
    assertThat(a.stats().delivered() + b.stats().delivered()).isEqualTo(EVENTS + twice.size());

    assertThat(rows("leased")).as("deliveries left leased").isZero();
    assertThat(rows("pending")).as("deliveries left pending").isZero();
    assertThat(rows("delivered")).isEqualTo(EVENTS);
    Await.until(Duration.ofSeconds(5), () -> a.destinations().status(ALICE, d.id()).pending() == 0
        && b.destinations().status(ALICE, d.id()).pending() == 0, "both instances to count an empty backlog");
  }
}
