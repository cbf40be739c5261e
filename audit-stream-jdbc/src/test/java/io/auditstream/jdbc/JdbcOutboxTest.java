package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static io.auditstream.jdbc.TestEvents.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every outbox does, whatever its database: {@link SqliteOutboxTest} runs it on the embedded store,
 * {@link PostgresOutboxTest} on PostgreSQL.
 */
abstract class JdbcOutboxTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final DestinationId B = DestinationId.of("dest-b");

  private JdbcStore store;
  private JdbcOutbox outbox;

  /** Opens a store on the test's database with the decoder of the tests and {@code settings} applied. */
  abstract JdbcStore open(Consumer<StoreBuilder<?>> settings);

  /** Closes the store that is open and opens another one on the same database; returns its outbox. */
  private JdbcOutbox reopen(Consumer<StoreBuilder<?>> settings) {
    closeStore();
    store = open(settings);
    return store.outbox();
  }

  private void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void open() {
    outbox = reopen(b -> b.maxEventsPerDestination(5));
  }

  @AfterEach
  void close() {
    closeStore();
  }

  private static List<String> ids(List<QueuedDelivery> deliveries) {
    return deliveries.stream().map(QueuedDelivery::eventId).toList();
  }

  @Test
  void leasesDueDeliveriesOldestFirstWithTheirEventAndSchedule() {
    QueuedDelivery first = delivery(A, "e1", T0);
    QueuedDelivery second = delivery(A, "e2", T0.plusMillis(1));
    QueuedDelivery third = delivery(A, "e3", T0.plusMillis(2));
    assertThat(outbox.offer(List.of(first, second, third))).containsOnly(Offer.ACCEPTED);

    List<QueuedDelivery> leased = outbox.lease(A, 2, T0.plusSeconds(1));

    assertThat(leased).containsExactly(first, second);
    assertThat(leased.get(0).event().json()).isEqualTo(first.event().json());
    assertThat(ids(outbox.lease(A, 10, T0.plusSeconds(1)))).containsExactly("e3");
    assertThat(outbox.lease(A, 10, T0.plusSeconds(1))).as("leased ones are not leased twice").isEmpty();
  }

  @Test
  void leasesNothingBehindAnOldestDeliveryNotDueYetButOtherDestinationsStillLease() {
    QueuedDelivery later = new QueuedDelivery(A, TestEvents.encoded("later"), T0, 1, T0.plusSeconds(60),
        Optional.of("503"));
    QueuedDelivery now = delivery(A, "now", T0.plusSeconds(1));
    outbox.offer(List.of(later, now, delivery(B, "other", T0.plusSeconds(1))));

    assertThat(outbox.lease(A, 10, T0.plusSeconds(30))).as("'now' is due, but waits behind 'later'").isEmpty();
    assertThat(outbox.nextDue(A)).contains(T0.plusSeconds(60));
    assertThat(ids(outbox.lease(B, 10, T0.plusSeconds(30)))).containsExactly("other");
    assertThat(outbox.lease(A, 10, T0.plusSeconds(60))).containsExactly(later, now);
  }

  @Test
  void leasesNothingForZeroMaxOrAnUnknownDestination() {
    outbox.offer(List.of(delivery(A, "e1", T0)));

    assertThat(outbox.lease(A, 0, T0)).isEmpty();
    assertThat(outbox.lease(B, 10, T0)).isEmpty();
    assertThat(outbox.size(A)).isOne();
  }

  @Test
  void acceptsAKeyItHoldsWithoutASecondCopy() throws Exception {
    outbox.offer(List.of(delivery(A, "e1", T0)));

    assertThat(outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e2", T0))))
        .containsExactly(Offer.ACCEPTED, Offer.ACCEPTED, Offer.ACCEPTED);
    assertThat(outbox.size(A)).isEqualTo(2);
    assertThat(ids(outbox.lease(A, 10, T0))).containsExactly("e1", "e2");
  }

  @Test
  void storesAnEventOnceForEveryDestinationThatGetsIt() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(B, "e1", T0)));

    assertThat(OutboxProbe.storedRows(outbox)).containsExactly(1, 2);
    assertThat(outbox.size(A)).isOne();
    assertThat(outbox.size(B)).isOne();
  }

  @Test
  void refusesBeyondOneDestinationsCountBoundWhileOthersAreAccepted() {
    List<QueuedDelivery> batch = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      batch.add(delivery(A, "a" + i, T0));
      batch.add(delivery(B, "b" + i, T0));
    }
    outbox.offer(List.of(delivery(B, "b-first", T0)));

    List<Offer> outcomes = outbox.offer(batch);

    // a0 b0 a1 b1 ... : A takes a0..a4 (5), B, holding one already, b0..b3 (4); the rest is refused.
    assertThat(outcomes.subList(0, 9)).containsOnly(Offer.ACCEPTED);
    assertThat(outcomes.subList(9, 14)).containsOnly(Offer.DESTINATION_FULL);
    assertThat(outbox.lease(A, 10, T0)).extracting(QueuedDelivery::eventId)
        .containsExactly("a0", "a1", "a2", "a3", "a4");
    assertThat(outbox.lease(B, 10, T0)).extracting(QueuedDelivery::eventId)
        .containsExactly("b-first", "b0", "b1", "b2", "b3");
    assertThat(outbox.size(A)).isEqualTo(5);
    assertThat(outbox.size(B)).isEqualTo(5);
  }

  @Test
  void refusesBeyondOneDestinationsByteBound() {
    int size = TestEvents.encoded("x1").json().length;
    outbox = reopen(b -> b.maxBytesPerDestination(2L * size + 10));

    assertThat(outbox.offer(List.of(delivery(A, "x1", T0), delivery(A, "x2", T0), delivery(A, "x3", T0),
        delivery(B, "x3", T0))))
        .containsExactly(Offer.ACCEPTED, Offer.ACCEPTED, Offer.DESTINATION_FULL, Offer.ACCEPTED);
    assertThat(outbox.bytes(A)).isEqualTo(2L * size);
    assertThat(outbox.maxBytesPerDestination()).isEqualTo(2L * size + 10);
  }

  @Test
  void acceptsAHeldKeyEvenWhenItsDestinationIsFull() {
    for (int i = 0; i < 5; i++) {
      outbox.offer(List.of(delivery(A, "a" + i, T0)));
    }

    assertThat(outbox.offer(List.of(delivery(A, "a3", T0), delivery(A, "new", T0))))
        .containsExactly(Offer.ACCEPTED, Offer.DESTINATION_FULL);
  }

  @Test
  void heldAndRepeatedKeysTakeNoRoomNearTheBoundWhileAnotherDestinationTakesTheRest() {
    outbox.offer(List.of(delivery(A, "a0", T0), delivery(A, "a1", T0), delivery(A, "a2", T0)));

    // A has room for two of the six it is offered; B for all three of its own.
    List<Offer> outcomes = outbox.offer(List.of(delivery(A, "a2", T0), delivery(B, "b1", T0),
        delivery(A, "n1", T0), delivery(A, "n1", T0), delivery(B, "b1", T0), delivery(A, "n2", T0),
        delivery(A, "n3", T0), delivery(B, "b2", T0), delivery(A, "a0", T0)));

    assertThat(outcomes).containsExactly(Offer.ACCEPTED, Offer.ACCEPTED, Offer.ACCEPTED, Offer.ACCEPTED,
        Offer.ACCEPTED, Offer.ACCEPTED, Offer.DESTINATION_FULL, Offer.ACCEPTED, Offer.ACCEPTED);
    assertThat(outbox.size(A)).isEqualTo(5);
    assertThat(outbox.size(B)).isEqualTo(2);
    assertThat(OutboxProbe.storedRows(outbox)).containsExactly(7, 7);
    assertThat(ids(outbox.lease(A, 10, T0))).containsExactly("a0", "a1", "a2", "n1", "n2");
    assertThat(ids(outbox.lease(B, 10, T0))).containsExactly("b1", "b2");
  }

  @Test
  void countsOnlyNewKeysWhenADestinationHasRoomForAllItIsOffered() {
    long size = TestEvents.encoded("e1").json().length;
    outbox.offer(List.of(delivery(A, "e1", T0)));

    assertThat(outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e2", T0))))
        .containsOnly(Offer.ACCEPTED);

    assertThat(outbox.size(A)).isEqualTo(2);
    assertThat(outbox.bytes(A)).isEqualTo(2 * size);
    assertThat(outbox.offer(List.of(delivery(A, "e3", T0), delivery(A, "e4", T0), delivery(A, "e5", T0),
        delivery(A, "e6", T0))))
        .as("room for exactly three more")
        .containsExactly(Offer.ACCEPTED, Offer.ACCEPTED, Offer.ACCEPTED, Offer.DESTINATION_FULL);
  }

  @Test
  void removingDeliveredDeliveriesFreesRoomInTheBound() {
    for (int i = 0; i < 5; i++) {
      outbox.offer(List.of(delivery(A, "a" + i, T0)));
    }
    outbox.remove(outbox.lease(A, 2, T0));

    assertThat(outbox.size(A)).isEqualTo(3);
    assertThat(outbox.offer(List.of(delivery(A, "a5", T0), delivery(A, "a6", T0), delivery(A, "a7", T0))))
        .containsExactly(Offer.ACCEPTED, Offer.ACCEPTED, Offer.DESTINATION_FULL);
  }

  @Test
  void rescheduleStoresAttemptsNextAttemptAndLastError() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));
    QueuedDelivery leased = outbox.lease(A, 1, T0).get(0);
    QueuedDelivery failed = leased.failedAttempt(T0.plusSeconds(30), "HTTP 503");

    outbox.reschedule(List.of(failed));

    assertThat(outbox.size(A)).isEqualTo(2);
    assertThat(outbox.nextDue(A)).contains(T0.plusSeconds(30));
    assertThat(outbox.lease(A, 10, T0.plusSeconds(29))).as("e2 waits behind e1").isEmpty();
    List<QueuedDelivery> retried = outbox.lease(A, 1, T0.plusSeconds(30));
    assertThat(retried).containsExactly(failed);
    assertThat(retried.get(0).attempts()).isOne();
    assertThat(retried.get(0).lastError()).contains("HTTP 503");
    assertThat(retried.get(0).enqueuedAt()).isEqualTo(T0);
  }

  @Test
  void releaseReturnsLeasedDeliveriesUnchangedAndInTheirPlace() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0)));
    List<QueuedDelivery> leased = outbox.lease(A, 2, T0);

    outbox.release(leased);

    assertThat(outbox.lease(A, 10, T0).subList(0, 2)).isEqualTo(leased);
  }

  @Test
  void deadLettersKeepTheirEventAttemptsTimeAndReasonOutsideTheBacklog() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0)));
    QueuedDelivery leased = outbox.lease(A, 1, T0).get(0).failedAttempt(T0.plusSeconds(1), "HTTP 400");

    outbox.deadLetter(List.of(leased), T0.plusSeconds(5), "refused: HTTP 400");
    outbox.deadLetter(List.of(delivery(A, "e3", T0)), T0.plusSeconds(2), "aged out");

    assertThat(outbox.size(A)).as("dead letters are not in the backlog").isOne();
    assertThat(outbox.deadLetterCount(A)).isEqualTo(2);
    List<DeadLetter> dead = outbox.deadLetters(A, 10);
    assertThat(dead).extracting(DeadLetter::eventId).as("in the order they were given up on")
        .containsExactly("e3", "e1");
    DeadLetter e1 = dead.get(1);
    assertThat(e1.event()).isEqualTo(TestEvents.encoded("e1"));
    assertThat(e1.attempts()).isOne();
    assertThat(e1.enqueuedAt()).isEqualTo(T0);
    assertThat(e1.deadAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(e1.reason()).isEqualTo("refused: HTTP 400");
    assertThat(outbox.deadLetters(A, 1)).extracting(DeadLetter::eventId).containsExactly("e3");
    assertThat(outbox.lease(A, 10, T0.plusSeconds(60))).extracting(QueuedDelivery::eventId).containsExactly("e2");
  }

  @Test
  void redeliversNamedDeadLettersDueNowWithAttemptsReset() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0)));
    List<QueuedDelivery> failed = outbox.lease(A, 3, T0).stream()
        .map(d -> d.failedAttempt(T0.plusSeconds(1), "timeout")).toList();
    outbox.deadLetter(failed, T0.plusSeconds(10), "aged out");
    Instant now = T0.plusSeconds(100);

    assertThat(outbox.redeliver(A, List.of("e1", "e3", "unknown"), now)).isEqualTo(2);

    assertThat(outbox.deadLetterCount(A)).isOne();
    assertThat(outbox.size(A)).isEqualTo(2);
    assertThat(outbox.nextDue(A)).contains(now);
    assertThat(outbox.lease(A, 10, now.minusMillis(1))).isEmpty();
    List<QueuedDelivery> again = outbox.lease(A, 10, now);
    assertThat(ids(again)).containsExactly("e1", "e3");
    assertThat(again).allSatisfy(d -> {
      assertThat(d.attempts()).isZero();
      assertThat(d.lastError()).isEmpty();
      assertThat(d.nextAttemptAt()).isEqualTo(now);
      assertThat(d.enqueuedAt()).as("a redelivery starts its retries over").isEqualTo(now);
    });
    assertThat(outbox.redeliver(A, List.of("e1"), now)).as("no longer a dead letter").isZero();
  }

  @Test
  void redeliversDeadLettersGivenUpOnAtOrAfterATime() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0),
        delivery(B, "e4", T0)));
    outbox.deadLetter(List.of(delivery(A, "e1", T0)), T0.plusSeconds(1), "old");
    outbox.deadLetter(List.of(delivery(A, "e2", T0)), T0.plusSeconds(2), "at");
    outbox.deadLetter(List.of(delivery(A, "e3", T0)), T0.plusSeconds(3), "after");
    outbox.deadLetter(List.of(delivery(B, "e4", T0)), T0.plusSeconds(3), "other destination");

    assertThat(outbox.redeliverSince(A, T0.plusSeconds(2), T0.plusSeconds(9))).isEqualTo(2);

    assertThat(outbox.deadLetters(A, 10)).extracting(DeadLetter::eventId).containsExactly("e1");
    assertThat(ids(outbox.lease(A, 10, T0.plusSeconds(9)))).containsExactly("e2", "e3");
    assertThat(outbox.deadLetterCount(B)).isOne();
  }

  @Test
  void removeAllDeletesADestinationsDeliveriesAndDeadLettersAndCountsItsBacklog() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(A, "e3", T0),
        delivery(B, "e1", T0)));
    outbox.lease(A, 1, T0);
    outbox.deadLetter(List.of(delivery(A, "e3", T0)), T0, "refused");

    assertThat(outbox.removeAll(A)).isEqualTo(2);

    assertThat(outbox.size(A)).isZero();
    assertThat(outbox.deadLetterCount(A)).isZero();
    assertThat(outbox.destinations()).containsExactly(B);
    assertThat(OutboxProbe.storedRows(outbox)).as("only e1, which B still needs, is kept").containsExactly(1, 1);
    assertThat(outbox.removeAll(A)).isZero();
  }

  @Test
  void countsPendingAndLeasedDeliveriesPerDestinationAndInAll() {
    outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(B, "e3", T0)));
    outbox.lease(A, 1, T0);

    assertThat(outbox.size(A)).isEqualTo(2);
    assertThat(outbox.size(B)).isOne();
    assertThat(outbox.size()).isEqualTo(3);
    assertThat(outbox.destinations()).containsExactlyInAnyOrder(A, B);
    outbox.remove(outbox.lease(B, 1, T0));
    assertThat(outbox.destinations()).containsExactly(A);
    assertThat(outbox.size()).isEqualTo(2);
  }

  @Test
  void nextDueIsTheOldestPendingDeliveryNotALeasedOne() {
    assertThat(outbox.nextDue(A)).isEmpty();
    outbox.offer(List.of(delivery(A, "e1", T0.plusSeconds(5)), delivery(A, "e2", T0.plusSeconds(9)),
        delivery(A, "e3", T0.plusSeconds(7))));

    assertThat(outbox.nextDue(A)).contains(T0.plusSeconds(5));
    outbox.lease(A, 1, T0.plusSeconds(5));
    assertThat(outbox.nextDue(A)).contains(T0.plusSeconds(9));
    assertThat(outbox.lease(A, 10, T0.plusSeconds(7))).as("e3 is due, but waits behind e2").isEmpty();
    outbox.lease(A, 10, T0.plusSeconds(10));
    assertThat(outbox.nextDue(A)).isEmpty();
  }

  @Test
  void keepsTimesToTheNanosecond() {
    Instant precise = Instant.parse("2026-11-30T10:00:00.123456789Z");
    QueuedDelivery d = new QueuedDelivery(A, TestEvents.encoded("e1"), precise, 2, precise.plusNanos(1),
        Optional.of("x"));
    outbox.offer(List.of(d));

    assertThat(outbox.lease(A, 1, precise.plusNanos(1))).containsExactly(d);
  }

  @Test
  void turnsADeliveryWhoseEventCannotBeDecodedIntoADeadLetterOnLease() {
    outbox = reopen(b -> b.eventDecoder(json -> {
      throw new IllegalArgumentException("not an event");
    }));
    outbox.offer(List.of(delivery(A, "e1", T0)));

    assertThat(outbox.lease(A, 10, T0)).isEmpty();

    assertThat(outbox.size(A)).isZero();
    assertThat(outbox.deadLetterCount(A)).isOne();
  }

  @Test
  void refusesEveryCallAfterClose() {
    outbox.close();

    assertThatThrownBy(() -> outbox.offer(List.of(delivery(A, "e1", T0))))
        .isInstanceOf(IllegalStateException.class).hasMessage("outbox is closed");
    assertThatThrownBy(() -> outbox.lease(A, 1, T0)).hasMessage("outbox is closed");
    assertThatThrownBy(() -> outbox.size()).hasMessage("outbox is closed");
    assertThatThrownBy(() -> outbox.nextDue(A)).hasMessage("outbox is closed");
    assertThatThrownBy(() -> outbox.deadLetters(A, 1)).hasMessage("outbox is closed");
    assertThatThrownBy(() -> outbox.releaseAllLeases()).hasMessage("outbox is closed");
    outbox.close();
  }

  @Test
  void offersOfNothingAndRemovalsOfUnknownKeysChangeNothing() {
    assertThat(outbox.offer(List.of())).isEmpty();
    outbox.remove(List.of(delivery(A, "unknown", T0)));
    outbox.release(List.of(delivery(A, "unknown", T0)));
    outbox.reschedule(List.of(delivery(A, "unknown", T0).failedAttempt(T0, "x")));
    outbox.deadLetter(List.of(delivery(A, "unknown", T0)), T0, "x");

    assertThat(outbox.size()).isZero();
    assertThat(outbox.deadLetterCount(A)).isZero();
    assertThat(OutboxProbe.storedRows(outbox)).containsExactly(0, 0);
    assertThat(outbox.deliveredRetention()).isEqualTo(Duration.ofHours(1));
  }
}
