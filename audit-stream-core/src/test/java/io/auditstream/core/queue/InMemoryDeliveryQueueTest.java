package io.auditstream.core.queue;

import static io.auditstream.api.spi.DeliveryQueue.Offer.ACCEPTED;
import static io.auditstream.api.spi.DeliveryQueue.Offer.DESTINATION_FULL;
import static io.auditstream.api.spi.DeliveryQueue.Offer.QUEUE_FULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.QueuedDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryQueueTest {
  private static final DestinationId A = DestinationId.of("a");
  private static final DestinationId B = DestinationId.of("b");
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private static QueuedDelivery delivery(DestinationId to, String eventId) {
    return delivery(to, eventId, 0);
  }

  /** A delivery of {@code eventId} whose payload has {@code padding} more bytes than the minimum. */
  private static QueuedDelivery delivery(DestinationId to, String eventId, int padding) {
    AuditEvent e = AuditEvent.builder().id(eventId).eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
    String json = "{\"id\":\"" + eventId + "\"}" + " ".repeat(padding);
    return new QueuedDelivery(to, new EncodedEvent(e, json.getBytes(StandardCharsets.UTF_8)), T0);
  }

  private static List<String> ids(List<QueuedDelivery> deliveries) {
    return deliveries.stream().map(QueuedDelivery::eventId).toList();
  }

  private static List<QueuedDelivery> lease(InMemoryDeliveryQueue q, DestinationId id, int max) {
    return q.lease(id, max, T0);
  }

  @Test
  void refusesOffersBeyondTotalCapacityAcrossDestinations() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(3);

    assertThat(q.offer(List.of(delivery(A, "1"), delivery(B, "2"), delivery(A, "3"), delivery(B, "4"))))
        .containsExactly(ACCEPTED, ACCEPTED, ACCEPTED, QUEUE_FULL);

    assertThat(q.size()).isEqualTo(3);
    assertThat(q.size(A)).isEqualTo(2);
    assertThat(q.size(B)).isEqualTo(1);
  }

  @Test
  void boundsEachDestinationByEventsWithoutTakingRoomFromAnother() {
    InMemoryDeliveryQueue q = InMemoryDeliveryQueue.builder().maxEventsPerDestination(2).build();

    assertThat(q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(A, "3"), delivery(B, "4"),
        delivery(B, "5")))).containsExactly(ACCEPTED, ACCEPTED, DESTINATION_FULL, ACCEPTED, ACCEPTED);

    assertThat(q.size(A)).isEqualTo(2);
    assertThat(q.size(B)).isEqualTo(2);
    q.remove(lease(q, A, 1));
    assertThat(q.offer(List.of(delivery(A, "3")))).containsExactly(ACCEPTED);
  }

  @Test
  void boundsEachDestinationByPayloadBytes() {
    QueuedDelivery small = delivery(A, "1");
    int size = small.event().json().length;
    InMemoryDeliveryQueue q = InMemoryDeliveryQueue.builder().maxBytesPerDestination(2L * size + 5).build();

    assertThat(q.offer(List.of(small, delivery(A, "2"), delivery(A, "3"), delivery(B, "4", 5))))
        .containsExactly(ACCEPTED, ACCEPTED, DESTINATION_FULL, ACCEPTED);
    q.remove(lease(q, A, 1));
    // One of the two left: room for 5 bytes more than it, not 10.
    assertThat(q.offer(List.of(delivery(A, "5", 10)))).containsExactly(DESTINATION_FULL);
    assertThat(q.offer(List.of(delivery(A, "6", 5)))).containsExactly(ACCEPTED);
  }

  @Test
  void aFullDestinationIsReportedAsSuchEvenWhenTheWholeQueueIsFullToo() {
    InMemoryDeliveryQueue q = InMemoryDeliveryQueue.builder().maxEventsPerDestination(1).maxDeliveries(1).build();

    assertThat(q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(B, "3"))))
        .containsExactly(ACCEPTED, DESTINATION_FULL, QUEUE_FULL);
  }

  @Test
  void acceptsADeliveryItHoldsAlreadyWithoutASecondCopy() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1")));

    assertThat(q.offer(List.of(delivery(A, "1"), delivery(B, "1")))).containsExactly(ACCEPTED, ACCEPTED);

    assertThat(q.size(A)).isOne();
    assertThat(q.size()).isEqualTo(2);
  }

  @Test
  void leasedDeliveriesStillTakeRoomUntilRemoved() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(1);
    q.offer(List.of(delivery(A, "1")));
    List<QueuedDelivery> leased = lease(q, A, 1);

    assertThat(q.offer(List.of(delivery(A, "2")))).containsExactly(QUEUE_FULL);
    q.remove(leased);
    assertThat(q.offer(List.of(delivery(A, "2")))).containsExactly(ACCEPTED);
  }

  @Test
  void leasesOldestFirstPerDestination() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(B, "x"), delivery(A, "2"), delivery(A, "3")));

    assertThat(ids(lease(q, A, 2))).containsExactly("1", "2");
    assertThat(ids(lease(q, A, 5))).containsExactly("3");
    assertThat(ids(lease(q, B, 5))).containsExactly("x");
  }

  @Test
  void leaseSkipsDeliveriesThatAreAlreadyLeased() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    lease(q, A, 1);

    assertThat(ids(lease(q, A, 10))).containsExactly("2");
    assertThat(lease(q, A, 10)).isEmpty();
    assertThat(q.size(A)).isEqualTo(2);
  }

  @Test
  void leaseStopsAtTheOldestDeliveryNotDueYetButNotForOtherDestinations() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(B, "3"), delivery(B, "4")));
    QueuedDelivery first = lease(q, A, 1).get(0);
    QueuedDelivery third = lease(q, B, 1).get(0);
    q.reschedule(List.of(first.failedAttempt(T0.plusSeconds(5), "HTTP 503")));
    q.release(List.of(third));

    assertThat(q.lease(A, 10, T0.plusSeconds(4))).as("2 is due, but waits behind 1").isEmpty();
    assertThat(q.nextDue(A)).contains(T0.plusSeconds(5));
    assertThat(ids(q.lease(B, 10, T0.plusSeconds(4)))).containsExactly("3", "4");
    assertThat(ids(q.lease(A, 10, T0.plusSeconds(5)))).containsExactly("1", "2");
  }

  @Test
  void releasePutsDeliveriesBackInTheirOriginalPlace() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    List<QueuedDelivery> first = lease(q, A, 1);
    q.offer(List.of(delivery(A, "3")));

    q.release(first);

    assertThat(ids(lease(q, A, 10))).containsExactly("1", "2", "3");
  }

  @Test
  void rescheduleKeepsThePlaceAndStoresTheNewSchedule() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    QueuedDelivery first = lease(q, A, 1).get(0);

    q.reschedule(List.of(first.failedAttempt(T0.plusSeconds(5), "HTTP 503")));

    List<QueuedDelivery> later = q.lease(A, 10, T0.plusSeconds(5));
    assertThat(ids(later)).containsExactly("1", "2");
    assertThat(later.get(0).attempts()).isOne();
    assertThat(later.get(0).nextAttemptAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(later.get(0).lastError()).contains("HTTP 503");
    assertThat(later.get(0).enqueuedAt()).isEqualTo(T0);
  }

  @Test
  void nextDueIsTheAttemptOfTheOldestPendingDelivery() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    assertThat(q.nextDue(A)).isEmpty();
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    List<QueuedDelivery> both = lease(q, A, 2);

    q.reschedule(List.of(both.get(0).failedAttempt(T0.plusSeconds(9), "x"), both.get(1).failedAttempt(T0.plusSeconds(7), "x")));

    assertThat(q.nextDue(A)).contains(T0.plusSeconds(9));
    assertThat(q.lease(A, 1, T0.plusSeconds(7))).isEmpty();
    assertThat(ids(q.lease(A, 1, T0.plusSeconds(9)))).containsExactly("1");
    assertThat(q.nextDue(A)).contains(T0.plusSeconds(7));
  }

  @Test
  void releaseAllLeasesMakesEveryLeasedDeliveryAvailableAgain() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(B, "2")));
    lease(q, A, 1);
    lease(q, B, 1);

    q.releaseAllLeases();

    assertThat(ids(lease(q, A, 10))).containsExactly("1");
    assertThat(ids(lease(q, B, 10))).containsExactly("2");
  }

  @Test
  void removeTakesOnlyTheGivenDeliveries() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    List<QueuedDelivery> leased = lease(q, A, 1);

    q.remove(leased);

    assertThat(q.size(A)).isEqualTo(1);
    assertThat(ids(lease(q, A, 10))).containsExactly("2");
  }

  @Test
  void aCopyNamesTheSameDeliveryByItsKey() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1")));
    QueuedDelivery leased = lease(q, A, 1).get(0);

    q.remove(List.of(leased.failedAttempt(T0, "copy")));

    assertThat(q.size()).isZero();
    assertThat(q.destinations()).isEmpty();
  }

  @Test
  void removeAllDropsWaitingAndLeasedDeliveriesAndDeadLettersOfOneDestination() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(B, "3"), delivery(A, "4")));
    List<QueuedDelivery> leased = lease(q, A, 1);
    q.deadLetter(lease(q, A, 2).subList(1, 2), T0, "refused");

    assertThat(q.removeAll(A)).isEqualTo(2);

    assertThat(q.size(A)).isZero();
    assertThat(q.deadLetterCount(A)).isZero();
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.destinations()).containsExactly(B);
    // Removing or releasing what is already gone changes nothing.
    q.release(leased);
    q.remove(leased);
    assertThat(q.size()).isEqualTo(1);
  }

  @Test
  void destinationsListsThoseWithWaitingOrLeasedDeliveries() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(B, "2")));
    lease(q, A, 1);

    assertThat(q.destinations()).containsExactlyInAnyOrder(A, B);
    q.remove(lease(q, B, 1));
    assertThat(q.destinations()).containsExactly(A);
  }

  @Test
  void deadLetterKeepsEventAttemptsTimeAndReasonOldestFirstOutsideTheBacklog() {
    InMemoryDeliveryQueue q = InMemoryDeliveryQueue.builder().maxEventsPerDestination(2).build();
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    List<QueuedDelivery> leased = lease(q, A, 2);
    Instant at = T0.plusSeconds(30);

    q.deadLetter(List.of(leased.get(0).failedAttempt(at, "HTTP 400")), at, "refused for good after 1 attempt: HTTP 400");
    q.deadLetter(List.of(leased.get(1)), at.plusSeconds(1), "aged out after 0 attempts: never attempted");

    assertThat(q.size(A)).isZero();
    assertThat(q.deadLetterCount(A)).isEqualTo(2);
    List<DeadLetter> dead = q.deadLetters(A, 10);
    assertThat(dead).extracting(DeadLetter::eventId).containsExactly("1", "2");
    assertThat(dead.get(0)).isEqualTo(new DeadLetter(A, leased.get(0).event(), T0, 1, at,
        "refused for good after 1 attempt: HTTP 400"));
    assertThat(dead.get(1).attempts()).isZero();
    assertThat(q.deadLetters(A, 1)).hasSize(1);
    assertThat(q.deadLetters(B, 10)).isEmpty();
    // Dead letters hold no room in the destination's backlog.
    assertThat(q.offer(List.of(delivery(A, "3"), delivery(A, "4")))).containsExactly(ACCEPTED, ACCEPTED);
  }

  @Test
  void keepsAtMostItsBoundOfDeadLettersPerDestinationDiscardingTheOldest() {
    InMemoryDeliveryQueue q = InMemoryDeliveryQueue.builder().maxDeadLettersPerDestination(2).build();
    q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(A, "3")));

    q.deadLetter(lease(q, A, 3), T0, "refused");

    assertThat(q.deadLetters(A, 10)).extracting(DeadLetter::eventId).containsExactly("2", "3");
  }

  @Test
  void redeliverMakesDeadLettersPendingBehindTheOthersWithAttemptsResetAndAgeCountedFromNow() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2")));
    QueuedDelivery first = lease(q, A, 1).get(0);
    q.deadLetter(List.of(first.failedAttempt(T0, "HTTP 400")), T0, "refused");
    q.offer(List.of(delivery(A, "3")));
    Instant now = T0.plus(Duration.ofHours(80));

    assertThat(q.redeliver(A, List.of("1", "1", "unknown"), now)).isOne();

    assertThat(q.deadLetterCount(A)).isZero();
    List<QueuedDelivery> pending = q.lease(A, 10, now);
    assertThat(ids(pending)).containsExactly("2", "3", "1");
    assertThat(pending.get(2)).isEqualTo(new QueuedDelivery(A, first.event(), now, 0, now, Optional.empty()));
  }

  @Test
  void redeliverSinceTakesTheDeadLettersGivenUpOnAtOrAfterIt() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(A, "3")));
    List<QueuedDelivery> leased = lease(q, A, 3);
    q.deadLetter(leased.subList(0, 1), T0.plusSeconds(1), "refused");
    q.deadLetter(leased.subList(1, 2), T0.plusSeconds(2), "refused");
    q.deadLetter(leased.subList(2, 3), T0.plusSeconds(3), "refused");

    assertThat(q.redeliverSince(A, T0.plusSeconds(2), T0.plusSeconds(10))).isEqualTo(2);

    assertThat(q.deadLetters(A, 10)).extracting(DeadLetter::eventId).containsExactly("1");
    assertThat(ids(q.lease(A, 10, T0.plusSeconds(10)))).containsExactly("2", "3");
    assertThat(q.redeliverSince(B, T0, T0)).isZero();
  }

  @Test
  void removeUndeliveredTakesPendingAndLeasedDeliveriesAndKeepsDeadLetters() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(List.of(delivery(A, "1"), delivery(A, "2"), delivery(B, "3"), delivery(A, "4")));
    lease(q, A, 1);
    q.deadLetter(lease(q, B, 1), T0, "refused");

    List<QueuedDelivery> left = q.removeUndelivered();

    assertThat(ids(left)).containsExactlyInAnyOrder("1", "2", "4");
    assertThat(ids(left.stream().filter(d -> d.destinationId().equals(A)).toList())).containsExactly("1", "2", "4");
    assertThat(q.size()).isZero();
    assertThat(q.destinations()).isEmpty();
    assertThat(q.deadLetterCount(B)).isOne();
  }

  @Test
  void rejectsCapacityBelowOne() {
    assertThatThrownBy(() -> new InMemoryDeliveryQueue(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }

  @Test
  void hasTheDocumentedDefaultBounds() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue();

    assertThat(q.maxEventsPerDestination()).isEqualTo(100_000);
    assertThat(q.maxBytesPerDestination()).isEqualTo(256L * 1024 * 1024);
    assertThat(q.capacity()).isEqualTo(1_000_000);
    assertThat(q.maxDeadLettersPerDestination()).isEqualTo(10_000);
  }

  @Test
  void builderNamesEveryBoundOutOfRange() {
    assertThatThrownBy(() -> InMemoryDeliveryQueue.builder().maxEventsPerDestination(0).maxBytesPerDestination(0)
        .maxDeliveries(0).maxDeadLettersPerDestination(-1).build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("maxEventsPerDestination").hasMessageContaining("maxBytesPerDestination")
        .hasMessageContaining("maxDeliveries").hasMessageContaining("maxDeadLettersPerDestination");
  }
}
