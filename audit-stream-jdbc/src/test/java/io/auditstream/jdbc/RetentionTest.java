package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static io.auditstream.jdbc.TestEvents.delivery;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final DestinationId B = DestinationId.of("dest-b");

  @TempDir Path dir;

  private final TestClock clock = TestClock.at(T0);

  private EmbeddedStore open(Duration retention) {
    return EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).deliveredRetention(retention).clock(clock)
        .open();
  }

  @Test
  void deletesDeliveredRowsAndTheirEventsAtOnceWithZeroRetention() {
    try (EmbeddedStore store = open(Duration.ZERO)) {
      JdbcOutbox outbox = store.outbox();
      outbox.offer(List.of(delivery(A, "e1", T0), delivery(B, "e1", T0), delivery(A, "e2", T0)));

      outbox.remove(outbox.lease(A, 10, T0));
      assertThat(OutboxProbe.storedRows(outbox)).as("e1 is still needed by B").containsExactly(1, 1);

      outbox.remove(outbox.lease(B, 10, T0));
      assertThat(OutboxProbe.storedRows(outbox)).containsExactly(0, 0);
    }
  }

  @Test
  void keepsDeliveredRowsForTheRetentionThenDeletesThemAndTheirEvents() {
    try (EmbeddedStore store = open(Duration.ofMinutes(10))) {
      JdbcOutbox outbox = store.outbox();
      outbox.offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));
      outbox.remove(outbox.lease(A, 10, T0));
      assertThat(outbox.size(A)).isZero();

      clock.advance(Duration.ofMinutes(9));
      outbox.offer(List.of(delivery(A, "e3", T0)));
      assertThat(OutboxProbe.storedRows(outbox)).as("within the retention").containsExactly(3, 3);

      clock.advance(Duration.ofMinutes(2));
      outbox.offer(List.of(delivery(A, "e4", T0)));
      assertThat(OutboxProbe.storedRows(outbox)).as("past it: e1 and e2 are gone").containsExactly(2, 2);
    }
  }

  @Test
  void deletesDeliveredRowsPastTheRetentionWhenItOpens() {
    try (EmbeddedStore store = open(Duration.ofMinutes(10))) {
      store.outbox().offer(List.of(delivery(A, "e1", T0)));
      store.outbox().remove(store.outbox().lease(A, 10, T0));
    }
    clock.advance(Duration.ofMinutes(11));

    try (EmbeddedStore store = open(Duration.ofMinutes(10))) {
      assertThat(OutboxProbe.storedRows(store.outbox())).containsExactly(0, 0);
    }
  }

  @Test
  void recognisesAnEventDeliveredWithinTheRetentionAsADuplicate() {
    try (EmbeddedStore store = open(Duration.ofMinutes(10))) {
      JdbcOutbox outbox = store.outbox();
      outbox.offer(List.of(delivery(A, "e1", T0)));
      outbox.remove(outbox.lease(A, 10, T0));

      assertThat(outbox.offer(List.of(delivery(A, "e1", T0)))).containsExactly(Offer.ACCEPTED);

      assertThat(outbox.lease(A, 10, T0)).as("not delivered twice").isEmpty();
    }
  }

  @Test
  void rowCountLevelsOffUnderSteadyOfferLeaseRemoveLoad() {
    int perRound = 100;
    List<Long> deliveryRows = new ArrayList<>();
    try (EmbeddedStore store = open(Duration.ofMinutes(10))) {
      JdbcOutbox outbox = store.outbox();
      long n = 0;
      for (int round = 0; round < 60; round++) {
        List<QueuedDelivery> batch = new ArrayList<>();
        for (int i = 0; i < perRound; i++, n++) {
          batch.add(delivery(A, "e" + n, clock.instant()));
          batch.add(delivery(B, "e" + n, clock.instant()));
        }
        outbox.offer(batch);
        outbox.remove(outbox.lease(A, perRound, clock.instant()));
        outbox.remove(outbox.lease(B, perRound, clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        long[] rows = OutboxProbe.storedRows(outbox);
        assertThat(rows[0]).as("events follow their deliveries").isEqualTo(rows[1] / 2);
        deliveryRows.add(rows[1]);
      }
      assertThat(outbox.size()).isZero();
    }

    // Ten minutes of retention at one round a minute, plus the round a purge waits for its interval.
    long bound = 12L * 2 * perRound;
    assertThat(deliveryRows.subList(20, 60)).allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(bound));
    assertThat(deliveryRows.get(59)).isEqualTo(deliveryRows.get(30));
  }
}
