package io.auditstream.core.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDeliveryQueueTest {
  private static final DestinationId A = DestinationId.of("a");
  private static final DestinationId B = DestinationId.of("b");

  private static QueuedDelivery delivery(DestinationId to, String eventId) {
    AuditEvent e = AuditEvent.builder().id(eventId).eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
    return new QueuedDelivery(to, new EncodedEvent(e, ("{\"id\":\"" + eventId + "\"}").getBytes(StandardCharsets.UTF_8)),
        Instant.EPOCH);
  }

  private static List<String> ids(List<QueuedDelivery> deliveries) {
    return deliveries.stream().map(QueuedDelivery::eventId).toList();
  }

  @Test
  void refusesOffersBeyondTotalCapacityAcrossDestinations() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(3);

    assertThat(q.offer(delivery(A, "1"))).isTrue();
    assertThat(q.offer(delivery(B, "2"))).isTrue();
    assertThat(q.offer(delivery(A, "3"))).isTrue();
    assertThat(q.offer(delivery(B, "4"))).isFalse();

    assertThat(q.size()).isEqualTo(3);
    assertThat(q.size(A)).isEqualTo(2);
    assertThat(q.size(B)).isEqualTo(1);
  }

  @Test
  void leasedDeliveriesStillTakeRoomUntilRemoved() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(1);
    q.offer(delivery(A, "1"));
    List<QueuedDelivery> leased = q.lease(A, 1);

    assertThat(q.offer(delivery(A, "2"))).isFalse();
    q.remove(leased);
    assertThat(q.offer(delivery(A, "2"))).isTrue();
  }

  @Test
  void leasesOldestFirstPerDestination() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(delivery(A, "1"));
    q.offer(delivery(B, "x"));
    q.offer(delivery(A, "2"));
    q.offer(delivery(A, "3"));

    assertThat(ids(q.lease(A, 2))).containsExactly("1", "2");
    assertThat(ids(q.lease(A, 5))).containsExactly("3");
    assertThat(ids(q.lease(B, 5))).containsExactly("x");
  }

  @Test
  void leaseSkipsDeliveriesThatAreAlreadyLeased() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(delivery(A, "1"));
    q.offer(delivery(A, "2"));
    q.lease(A, 1);

    assertThat(ids(q.lease(A, 10))).containsExactly("2");
    assertThat(q.lease(A, 10)).isEmpty();
    assertThat(q.size(A)).isEqualTo(2);
  }

  @Test
  void releasePutsDeliveriesBackInTheirOriginalPlace() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(delivery(A, "1"));
    q.offer(delivery(A, "2"));
    List<QueuedDelivery> first = q.lease(A, 1);
    q.offer(delivery(A, "3"));

    q.release(first);

    assertThat(ids(q.lease(A, 10))).containsExactly("1", "2", "3");
  }

  @Test
  void releaseAllLeasesMakesEveryLeasedDeliveryAvailableAgain() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(delivery(A, "1"));
    q.offer(delivery(B, "2"));
    q.lease(A, 1);
    q.lease(B, 1);

    q.releaseAllLeases();

    assertThat(ids(q.lease(A, 10))).containsExactly("1");
    assertThat(ids(q.lease(B, 10))).containsExactly("2");
  }

  @Test
  void removeTakesOnlyTheGivenDeliveries() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(delivery(A, "1"));
    q.offer(delivery(A, "2"));
    List<QueuedDelivery> leased = q.lease(A, 1);

    q.remove(leased);

    assertThat(q.size(A)).isEqualTo(1);
    assertThat(ids(q.lease(A, 10))).containsExactly("2");
  }

  @Test
  void removeAllDropsWaitingAndLeasedDeliveriesOfOneDestination() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue(10);
    q.offer(delivery(A, "1"));
    q.offer(delivery(A, "2"));
    q.offer(delivery(B, "3"));
    List<QueuedDelivery> leased = q.lease(A, 1);

    assertThat(q.removeAll(A)).isEqualTo(2);

    assertThat(q.size(A)).isZero();
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
    q.offer(delivery(A, "1"));
    q.offer(delivery(B, "2"));
    q.lease(A, 1);

    assertThat(q.destinations()).containsExactlyInAnyOrder(A, B);
    q.remove(q.lease(B, 1));
    assertThat(q.destinations()).containsExactly(A);
  }

  @Test
  void rejectsCapacityBelowOne() {
    assertThatThrownBy(() -> new InMemoryDeliveryQueue(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
