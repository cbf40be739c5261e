package io.auditstream.examples.demo;

import io.auditstream.api.LogText;
import io.auditstream.api.destination.DestinationStatus;
import java.util.List;
import java.util.Objects;

/**
 * What the demo prints every few seconds while events are still on their way, so that a run against a
 * receiver that is down says what it is doing rather than falling silent: one line per destination that
 * still has events pending, with its counts and, while its attempts fail, how many failed in a row and
 * what the last one said ({@code waiting for demo-http: pending=10 delivered=0 failed=0; failed attempts
 * in a row: 4, last error: could not connect to destination host 127.0.0.1: Connection refused}). Stateless.
 */
final class DeliveryProgress {
  private DeliveryProgress() {}

  /**
   * One destination's status as the demo last read it.
   *
   * @param destination the destination's name
   * @param status its delivery status
   */
  record Seen(String destination, DestinationStatus status) {
    /** Checks that both are present. */
    Seen {
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(status, "status");
    }
  }

  /** The lines for the destinations that still have events pending, in the order given; none when all are done. */
  static List<String> lines(List<Seen> destinations) {
    return destinations.stream().filter(d -> d.status().pending() > 0).map(DeliveryProgress::line).toList();
  }

  private static String line(Seen d) {
    DestinationStatus s = d.status();
    String line = "waiting for " + LogText.escape(d.destination()) + ": pending=" + s.pending() + " delivered="
        + s.delivered() + " failed=" + s.failed();
    if (s.paused()) {
      // A paused destination keeps its events until it is resumed: no attempt is made meanwhile.
      return line + "; paused: " + LogText.escape(s.pausedReason().orElseThrow());
    }
    if (s.consecutiveFailures() == 0) {
      return line;
    }
    return line + "; failed attempts in a row: " + s.consecutiveFailures() + ", last error: "
        + LogText.escape(s.lastError().orElse("none given"));
  }
}
