package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryProgressTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static DestinationStatus status(long pending, long delivered, int failuresInARow, String lastError) {
    return new DestinationStatus(DestinationId.of("d"), pending, delivered, 0, 0, 0, failuresInARow,
        Optional.empty(), failuresInARow > 0 ? Optional.of(NOW) : Optional.empty(), Optional.ofNullable(lastError));
  }

  @Test
  void aFailingDestinationIsShownWithItsPendingCountAndLastError() {
    List<String> lines = DeliveryProgress.lines(List.of(new DeliveryProgress.Seen("demo-http",
        status(10, 0, 4, "could not connect to destination host 127.0.0.1: Connection refused"))));

    assertThat(lines).containsExactly("waiting for demo-http: pending=10 delivered=0 failed=0; failed attempts in a"
        + " row: 4, last error: could not connect to destination host 127.0.0.1: Connection refused");
  }

  @Test
  void aDestinationThatIsMerelyBusyIsShownWithoutAnError() {
    // An error of long ago, followed by successes, is not news.
    List<String> lines = DeliveryProgress.lines(List.of(new DeliveryProgress.Seen("demo-http",
        status(3, 7, 0, "answered HTTP 503"))));

    assertThat(lines).containsExactly("waiting for demo-http: pending=3 delivered=7 failed=0");
  }

  @Test
  void destinationsWithNothingPendingAreLeftOut() {
    List<String> lines = DeliveryProgress.lines(List.of(
        new DeliveryProgress.Seen("demo-http", status(0, 10, 0, null)),
        new DeliveryProgress.Seen("demo-jsonl-file", status(2, 8, 1, "disk full"))));

    assertThat(lines).containsExactly(
        "waiting for demo-jsonl-file: pending=2 delivered=8 failed=0; failed attempts in a row: 1, last error: disk full");
  }

  @Test
  void aPausedDestinationSaysWhyNothingMoves() {
    DestinationStatus paused = status(5, 0, 0, null).withPausedReason(Optional.of("receiver maintenance"));

    assertThat(DeliveryProgress.lines(List.of(new DeliveryProgress.Seen("demo-http", paused))))
        .containsExactly("waiting for demo-http: pending=5 delivered=0 failed=0; paused: receiver maintenance");
  }

  @Test
  void anErrorMessageCannotBreakTheLine() {
    List<String> lines = DeliveryProgress.lines(List.of(new DeliveryProgress.Seen("demo-http",
        status(1, 0, 1, "bad\nwaiting for forged: pending=0"))));

    assertThat(lines).singleElement().asString().doesNotContain("\n").endsWith("bad\\nwaiting for forged: pending=0");
  }
}
