package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import io.auditstream.testing.TestAccessPolicy;
import io.auditstream.testing.TestDestinations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamer on PostgreSQL while its database goes away and comes back, as in a failover: nothing hangs,
 * what is streamed during the outage fails visibly (its {@code submit} futures fail, the drops are
 * counted and reported), and once the server is back on the same data directory, without restarting
 * the streamer, everything committed before the outage is delivered, and new events too.
 */
class DatabaseOutageTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
  // What a call may take while the server is away: a wait for a connection, and the backlogs read again
  // after the failed write, which waits as long.
  private static final Duration FAILED_CALL = RestartablePostgres.CONNECTION_TIMEOUT.multipliedBy(2);

  @TempDir
  Path dataDirectory;

  // The outage makes the pool and the engine log every failed call, stack traces included.
  @RegisterExtension
  final StandardErrorCapture log = new StandardErrorCapture();

  private final GatedSinkProvider sink = new GatedSinkProvider();
  private final Map<String, String> drops = new ConcurrentHashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private RestartablePostgres server;

  @AfterEach
  void closeAll() throws Exception {
    sink.open();
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (server != null) {
      server.close();
    }
  }

  private AuditStreamer streamer(HikariDataSource pool, String instanceId) {
    PostgresStore store = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).instanceId(instanceId).eventDecoder(AuditEventJson::decode)
        .leaseDuration(LEASE).pollInterval(Duration.ofMillis(200)).open();
    AuditStreamer streamer = AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
        .destinationStore(store.destinations())
        .deliveryQueue(store.outbox())
        .addSinkProvider(sink)
        .deliveryListener(new DeliveryListener() {
          @Override
          public void onDropped(DestinationId destination, String eventId, String reason) {
            drops.put(eventId, reason);
          }
        })
        .closeTimeout(CLOSE_TIMEOUT)
        .build();
    open.add(streamer);
    return streamer;
  }

  private HikariDataSource pool() {
    HikariDataSource pool = server.pool(4);
    open.add(pool);
    return pool;
  }

  private static AuditEvent event(String id, int i) {
    return AuditEvent.builder().id(id).eventType("project_created").entity(EntityType.PROJECT, (long) i, "acme/p" + i)
        .build();
  }

  /** Whether {@code text} names the event {@code id} ({@code during-1}, not {@code during-10}). */
  private static boolean names(String text, String id) {
    return Pattern.compile(Pattern.quote(id) + "\\b").matcher(text).find();
  }

  private static List<String> ids(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
  }

  private static List<CompletableFuture<Void>> submitAll(AuditStreamer streamer, List<String> ids) {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      futures.add(streamer.submit(event(ids.get(i), i)));
    }
    return futures;
  }

  private static void awaitStored(List<CompletableFuture<Void>> futures) throws Exception {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
  }

  @Test
  void streamerRidesOutAnOutageAndDeliversWhatWasCommittedOnceTheDatabaseIsBack() throws Exception {
    server = RestartablePostgres.start(dataDirectory);
    AuditStreamer streamer = streamer(pool(), "a");
    Destination d = streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());

    // Committed before the outage: the first is in flight (held by the sink), the others wait in the outbox.
    List<String> before = ids("before", 40);
    awaitStored(submitAll(streamer, before));
    Await.until(Duration.ofSeconds(10), sink::attemptHeld, "a delivery in flight");

    server.stop();
    // The attempt in flight succeeds at the receiver, and the outbox cannot be told.
    sink.open();

    List<String> during = ids("during", 20);
    List<CompletableFuture<Void>> failing = submitAll(streamer, during);
    for (CompletableFuture<Void> f : failing) {
      // A bound, not a speed: the offers of the outage fail once the pool gives up waiting for a connection.
      assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(AuditStreamException.class);
    }
    Await.until(Duration.ofSeconds(5), () -> drops.keySet().containsAll(during), "the drops to be reported");
    assertThat(drops).as("the events streamed during the outage, dropped as the queue failed")
        .containsOnlyKeys(during);
    assertThat(drops.values()).allSatisfy(reason -> assertThat(reason).startsWith("delivery queue failed"));
    Await.until(Duration.ofSeconds(5), () -> during.stream().allMatch(id -> names(log.text(), id)),
        "the log to name every dropped event");
    assertThat(streamer.stats().dropped()).isEqualTo(during.size());
    assertThat(streamer.stats().accepted()).isEqualTo(before.size() + during.size());

    server.startAgain();

    Await.until(Duration.ofSeconds(20), () -> sink.received().keySet().containsAll(before),
        "every event committed before the outage to be delivered, without restarting the streamer");
    List<String> after = ids("after", 20);
    awaitStored(submitAll(streamer, after));
    Await.until(Duration.ofSeconds(20), () -> sink.received().keySet().containsAll(after),
        "the events streamed after the outage to be delivered");
    assertThat(streamer.flush(Duration.ofSeconds(20))).isTrue();

    Map<String, Integer> received = sink.received();
    assertThat(received.keySet()).as("nothing of what failed during the outage").doesNotContainAnyElementsOf(during);
    Set<String> twice = received.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    // The attempt in flight was delivered, but its removal failed: it is delivered again, and nothing else is.
    assertThat(twice).as("received twice").isSubsetOf(Set.of(before.get(0)));
    assertThat(received).hasSize(before.size() + after.size());
    assertThat(streamer.destinations().status(ALICE, d.id()).pending()).isZero();
  }

  @Test
  void closeDuringAnOutageReturnsWithinItsBoundEndsItsThreadsAndLeavesTheOutboxToTheNextStart() throws Exception {
    server = RestartablePostgres.start(dataDirectory);
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    HikariDataSource firstPool = pool();
    AuditStreamer streamer = streamer(firstPool, "a");
    streamer.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    List<String> before = ids("before", 10);
    awaitStored(submitAll(streamer, before));
    Await.until(Duration.ofSeconds(10), sink::attemptHeld, "a delivery in flight");
    List<Thread> streamerThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !threadsBefore.contains(t) && t.getName().startsWith("audit-stream-")).toList();
    assertThat(streamerThreads).isNotEmpty();

    server.stop();
    List<Throwable> closeFailures = new CopyOnWriteArrayList<>();
    Thread closing = new Thread(streamer::close, "closing-host");
    closing.setUncaughtExceptionHandler((t, e) -> closeFailures.add(e));
    closing.start();
    // The bound: the close timeout, a failed call or two to the database, and the waits for threads to stop.
    Duration bound = CLOSE_TIMEOUT.plus(FAILED_CALL.multipliedBy(3)).plusSeconds(13);
    closing.join(bound.toMillis());
    assertThat(closing.isAlive()).as("close() still running after %s", bound).isFalse();
    assertThat(closeFailures).as("what close() threw").isEmpty();
    Await.until(Duration.ofSeconds(10), () -> streamerThreads.stream().noneMatch(Thread::isAlive),
        "the streamer's threads to end: " + streamerThreads);
    assertThat(sink.received()).isEmpty();

    // The next start finds what was committed, and delivers it.
    server.startAgain();
    sink.open();
    firstPool.close();
    AuditStreamer next = streamer(pool(), "a");
    Await.until(Duration.ofSeconds(20), () -> sink.received().keySet().containsAll(before),
        "what was committed before the outage to be delivered after the next start");
    assertThat(next.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(sink.received()).hasSize(before.size());
  }
}
