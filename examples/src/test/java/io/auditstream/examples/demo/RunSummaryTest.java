package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunSummaryTest {
  private static DestinationStatus status(long pending, long delivered, long failed, long dropped) {
    return new DestinationStatus(DestinationId.of("d"), pending, delivered, failed, dropped, failed, 0,
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void eventsStillPendingWhenTheDemoStopsWaitingArePendingNotFailed() {
    RunSummary summary = RunSummary.of(List.of(RunSummary.Counts.of("demo-http", status(7, 3, 0, 0), 10)));

    assertThat(summary.lines()).containsExactly("delivered=3 failed=0 pending=7 dropped=0");
    assertThat(summary.exitStatus()).isEqualTo(1);
  }

  @Test
  void deadLettersAreTheFailedOnes() {
    RunSummary summary = RunSummary.of(List.of(RunSummary.Counts.of("demo-http", status(0, 0, 3, 0), 3)));

    assertThat(summary.lines()).containsExactly("delivered=0 failed=3 pending=0 dropped=0");
    assertThat(summary.exitStatus()).isEqualTo(1);
  }

  @Test
  void everyEventDeliveredEndsTheRunWithStatusZero() {
    RunSummary summary = RunSummary.of(List.of(RunSummary.Counts.of("demo-http", status(0, 10, 0, 0), 10)));

    assertThat(summary.lines()).containsExactly("delivered=10 failed=0 pending=0 dropped=0");
    assertThat(summary.exitStatus()).isZero();
  }

  @Test
  void eventsTheStreamerRefusedBeforeQueueingThemCountAsDropped() {
    // 10 wanted, 6 delivered, 1 dropped from a full backlog: the other 3 never reached the destination.
    RunSummary.Counts counts = RunSummary.Counts.of("demo-http", status(0, 6, 0, 1), 10);

    assertThat(counts.dropped()).isEqualTo(4);
    assertThat(RunSummary.of(List.of(counts)).exitStatus()).isEqualTo(1);
  }

  @Test
  void aDrainExpectsNothingAndCountsWhatItFoundDelivered() {
    RunSummary summary = RunSummary.of(List.of(RunSummary.Counts.of("demo-http", status(0, 120, 0, 0), 0)));

    assertThat(summary.lines()).containsExactly("delivered=120 failed=0 pending=0 dropped=0");
    assertThat(summary.exitStatus()).isZero();
  }

  @Test
  void severalDestinationsGetALineEachBeforeTheTotals() {
    RunSummary summary = RunSummary.of(List.of(
        RunSummary.Counts.of("demo-http", status(2, 5, 1, 0), 8),
        RunSummary.Counts.of("demo-jsonl-file", status(0, 8, 0, 0), 8)));

    assertThat(summary.lines()).containsExactly(
        "destination demo-http: delivered=5 failed=1 pending=2 dropped=0",
        "destination demo-jsonl-file: delivered=8 failed=0 pending=0 dropped=0",
        "delivered=13 failed=1 pending=2 dropped=0");
    assertThat(summary.exitStatus()).isEqualTo(1);
  }

  @Test
  void aDestinationNameCannotBreakItsLine() {
    RunSummary summary = RunSummary.of(List.of(
        RunSummary.Counts.of("one\nforged=1", status(0, 1, 0, 0), 1),
        RunSummary.Counts.of("two", status(0, 1, 0, 0), 1)));

    assertThat(summary.lines()).hasSize(3).first().asString()
        .isEqualTo("destination one\\nforged=1: delivered=1 failed=0 pending=0 dropped=0");
  }
}
