package io.auditstream.core.internal;

import static io.auditstream.core.internal.BatchSplitterTest.deliveries;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.spi.QueuedDelivery;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchGroupingTest {
  private final BatchGrouping grouping = new BatchGrouping();

  @Test
  void cutsOldestFirstIntoBatchesOfTheSinksSizeAndLeavesWhatDoesNotFit() {
    List<QueuedDelivery> leased = deliveries(10);

    List<List<QueuedDelivery>> batches = grouping.cut(leased, 2, 4, Long.MAX_VALUE);

    assertThat(batches).containsExactly(leased.subList(0, 4), leased.subList(4, 8));
  }

  @Test
  void aBatchEndsBeforeTheEventThatWouldTakeItOverTheByteBound() {
    List<QueuedDelivery> leased = deliveries(6);
    long one = leased.get(0).event().json().length;

    List<List<QueuedDelivery>> batches = grouping.cut(leased, 16, 100, one * 2 + one / 2);

    assertThat(batches).hasSize(3).allSatisfy(b -> assertThat(b).hasSize(2));
  }

  @Test
  void anEventLargerThanTheByteBoundGoesAlone() {
    List<QueuedDelivery> leased = deliveries(3);

    List<List<QueuedDelivery>> batches = grouping.cut(leased, 16, 100, 1);

    assertThat(batches).containsExactly(leased.subList(0, 1), leased.subList(1, 2), leased.subList(2, 3));
  }

  @Test
  void aRescheduledBatchIsCutAgainExactlyAsItWasWhateverIsLeasedAroundIt() {
    List<QueuedDelivery> leased = deliveries(12);
    // First cut: a batch of three, the queue then held no more.
    List<QueuedDelivery> failed = leased.subList(2, 5);
    grouping.rescheduled(failed);

    List<List<QueuedDelivery>> batches = grouping.cut(leased.subList(2, 12), 16, 8, Long.MAX_VALUE);

    assertThat(batches.get(0)).isEqualTo(failed);
    assertThat(batches.get(1)).isEqualTo(leased.subList(5, 12));
  }

  @Test
  void aRescheduledBatchOfOneEventIsRetriedAloneThoughEventsQueuedBehindIt() {
    List<QueuedDelivery> leased = deliveries(5);
    // The first event went out alone, the queue then held no more.
    grouping.rescheduled(leased.subList(0, 1));

    List<List<QueuedDelivery>> batches = grouping.cut(leased, 16, 8, Long.MAX_VALUE);

    assertThat(batches).containsExactly(leased.subList(0, 1), leased.subList(1, 5));
  }

  @Test
  void aNewBatchStopsBeforeARescheduledOneAndLeavesAnIncompleteOneForLater() {
    List<QueuedDelivery> leased = deliveries(10);
    grouping.rescheduled(leased.subList(4, 10));

    assertThat(grouping.cut(leased, 16, 8, Long.MAX_VALUE)).containsExactly(leased.subList(0, 4), leased.subList(4, 10));
    // Only the start of the rescheduled batch leased: it waits for the rest, unless nothing comes before it.
    assertThat(grouping.cut(leased.subList(0, 7), 16, 8, Long.MAX_VALUE)).containsExactly(leased.subList(0, 4));
    assertThat(grouping.cut(leased.subList(4, 7), 16, 8, Long.MAX_VALUE)).containsExactly(leased.subList(4, 7));
  }

  @Test
  void aSettledBatchIsCutFreelyAgainAndTheKeptCutsAreBounded() {
    List<QueuedDelivery> leased = deliveries(6);
    grouping.rescheduled(leased.subList(0, 2));
    grouping.settled(leased.subList(0, 2));

    assertThat(grouping.cut(leased, 16, 8, Long.MAX_VALUE)).containsExactly(leased);
    assertThat(grouping.keptCount()).isZero();

    List<QueuedDelivery> many = deliveries(2 * (BatchGrouping.MAX_KEPT + 10));
    for (int i = 0; i < many.size(); i += 2) {
      grouping.rescheduled(many.subList(i, i + 2));
    }
    assertThat(grouping.keptCount()).isEqualTo(BatchGrouping.MAX_KEPT);
  }
}
