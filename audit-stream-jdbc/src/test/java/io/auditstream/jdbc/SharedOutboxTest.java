package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static io.auditstream.jdbc.TestEvents.delivery;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.testing.Await;
import io.auditstream.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two host instances, each with a store of its own, sharing one PostgreSQL outbox. */
class SharedOutboxTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final Duration LEASE = Duration.ofSeconds(60);

  private final String schema = PostgresFixture.freshSchema();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<PostgresStore> stores = new ArrayList<>();
  private final TestClock clock = TestClock.at(T0);

  private PostgresStore open(String instanceId, Clock storeClock) {
    HikariDataSource pool = PostgresFixture.pool(6);
    pools.add(pool);
    PostgresStore store = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId(instanceId)
        .eventDecoder(TestEvents::decode).leaseDuration(LEASE).deliveredRetention(Duration.ZERO).clock(storeClock)
        .open();
    stores.add(store);
    return store;
  }

  @AfterEach
  void close() {
    stores.forEach(PostgresStore::close);
    pools.forEach(HikariDataSource::close);
  }

  private static List<String> ids(List<QueuedDelivery> deliveries) {
    return deliveries.stream().map(QueuedDelivery::eventId).toList();
  }

  @Test
  void concurrentLeasingFromTwoInstancesNeverHandsOneDeliveryToBothAndKeepsEachDestinationsOrder()
      throws Exception {
    JdbcOutbox a = open("host-a", Clock.systemUTC()).outbox();
    JdbcOutbox b = open("host-b", Clock.systemUTC()).outbox();
    List<DestinationId> destinations = List.of(DestinationId.of("d1"), DestinationId.of("d2"), DestinationId.of("d3"));
    int perDestination = 150;
    List<String> offered = new ArrayList<>();
    for (int i = 0; i < perDestination; i++) {
      offered.add("e" + i);
    }
    // Half of the events offered through each instance, in order.
    for (int i = 0; i < perDestination; i += 10) {
      JdbcOutbox via = i % 20 == 0 ? a : b;
      List<QueuedDelivery> batch = new ArrayList<>();
      for (String id : offered.subList(i, i + 10)) {
        destinations.forEach(d -> batch.add(delivery(d, id, T0)));
      }
      assertThat(via.offer(batch)).containsOnly(Offer.ACCEPTED);
    }

    ExecutorService pool = Executors.newFixedThreadPool(2 * destinations.size());
    try {
      List<Future<?>> workers = new ArrayList<>();
      List<List<String>> delivered = new ArrayList<>();
      for (DestinationId d : destinations) {
        List<String> inOrder = Collections.synchronizedList(new ArrayList<>());
        delivered.add(inOrder);
        for (JdbcOutbox outbox : List.of(a, b)) {
          // One lane per destination in each instance, as the engine runs them.
          workers.add(pool.submit(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inOrder.size() < perDestination && System.nanoTime() < deadline) {
              List<QueuedDelivery> leased = outbox.lease(d, 7, T0);
              // Recorded before the removal that lets the other instance lease what follows.
              leased.forEach(q -> inOrder.add(q.eventId()));
              outbox.remove(leased);
            }
            return null;
          }));
        }
      }
      for (Future<?> f : workers) {
        f.get(40, TimeUnit.SECONDS);
      }
      for (List<String> inOrder : delivered) {
        assertThat(inOrder).as("each delivery once, in the order offered").containsExactlyElementsOf(offered);
      }
      assertThat(OutboxProbe.storedRows(a)).containsExactly(0, 0);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aLiveLeaseIsNeverTakenByAnotherInstanceNorReleasedByOneThatStarts() {
    JdbcOutbox a = open("host-a", clock).outbox();
    a.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0)));
    assertThat(ids(a.lease(A, 2, T0))).containsExactly("e1", "e2");

    JdbcOutbox b = open("host-b", clock).outbox();
    b.releaseAllLeases();

    assertThat(b.lease(A, 10, T0)).as("e3 is pending, but host-a works the destination").isEmpty();
    assertThat(b.nextDue(A)).as("when host-a's lease ends").contains(T0.plus(LEASE));
    assertThat(b.size(A)).isEqualTo(3);
    clock.advance(LEASE.minusSeconds(1));
    assertThat(b.lease(A, 10, clock.instant())).isEmpty();
    assertThat(ids(a.lease(A, 10, clock.instant()))).as("its owner goes on").containsExactly("e3");
  }

  @Test
  void anInstanceThatRestartsWithItsIdTakesItsOwnLeasesBackAtOnce() {
    JdbcOutbox a = open("host-a", clock).outbox();
    a.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));
    a.lease(A, 10, T0);
    stores.get(0).close();

    JdbcOutbox restarted = open("host-a", clock).outbox();
    restarted.releaseAllLeases();

    assertThat(ids(restarted.lease(A, 10, T0))).containsExactly("e1", "e2");
  }

  @Test
  void anExpiredLeaseIsTakenOverInOrderByAnotherInstance() {
    JdbcOutbox a = open("host-a", clock).outbox();
    JdbcOutbox b = open("host-b", clock).outbox();
    a.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0)));
    a.lease(A, 2, T0);

    clock.advance(LEASE.plusSeconds(1));

    assertThat(b.nextDue(A)).as("the end of the lease that expired").contains(T0.plus(LEASE));
    List<QueuedDelivery> taken = b.lease(A, 10, clock.instant());
    assertThat(ids(taken)).containsExactly("e1", "e2", "e3");
    assertThat(a.lease(A, 10, clock.instant())).as("now host-b's").isEmpty();
    assertThat(a.nextDue(A)).contains(clock.instant().plus(LEASE));
    b.remove(taken);
    assertThat(a.nextDue(A)).isEmpty();
  }

  @Test
  void anInstanceWhoseLeaseEndedLeavesTheClaimOfTheInstanceThatTookItOver() {
    JdbcOutbox a = open("host-a", clock).outbox();
    JdbcOutbox b = open("host-b", clock).outbox();
    a.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));
    List<QueuedDelivery> late = a.lease(A, 1, T0);
    clock.advance(LEASE.plusSeconds(1));
    List<QueuedDelivery> taken = b.lease(A, 1, clock.instant());
    assertThat(ids(taken)).containsExactly("e1");

    // host-a's attempt ends after its lease did: its failure, or its giving the delivery back, changes nothing.
    a.reschedule(List.of(late.get(0).failedAttempt(clock.instant().plusSeconds(5), "late failure")));
    a.release(late);

    assertThat(a.lease(A, 10, clock.instant())).as("host-b still works the destination").isEmpty();
    assertThat(a.nextDue(A)).contains(clock.instant().plus(LEASE));
    b.remove(taken);
    assertThat(ids(b.lease(A, 10, clock.instant()))).containsExactly("e2");
  }

  @Test
  void eachInstanceSeesTheOthersBacklogsWithinAboutASecond() {
    JdbcOutbox a = open("host-a", clock).outbox();
    JdbcOutbox b = open("host-b", clock).outbox();

    b.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));

    Await.until(Duration.ofSeconds(10), () -> a.size(A) == 2 && a.destinations().contains(A),
        "host-a counts host-b's offers");
    assertThat(ids(a.lease(A, 10, T0))).as("leased by one instance, offered by the other")
        .containsExactly("e1", "e2");
  }
}
