package io.auditstream.examples.demo;

import io.auditstream.api.LogText;
import io.auditstream.api.destination.DestinationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a demo run did, as its last lines print it: for each destination (when there are several) and in
 * all, how many events were
 *
 * <ul>
 *   <li>{@code delivered}: accepted by the receiver;
 *   <li>{@code failed}: given up on and made dead letters (refused for good, or out of retries), which an
 *       Owner can list and redeliver;
 *   <li>{@code pending}: still queued when the demo stopped waiting: neither delivered nor given up on, left
 *       for a later run when the store is durable;
 *   <li>{@code dropped}: never queued for the destination: its backlog was full, or the streamer refused
 *       the event at its door.
 * </ul>
 *
 * <p>The run succeeded when nothing failed, is pending or was dropped. Immutable.
 */
final class RunSummary {
  private final List<Counts> destinations;
  private final Counts total;

  private RunSummary(List<Counts> destinations) {
    this.destinations = List.copyOf(destinations);
    Counts sum = new Counts("all destinations", 0, 0, 0, 0);
    for (Counts c : this.destinations) {
      sum = sum.plus(c);
    }
    this.total = sum;
  }

  /** The summary of these destinations' counts, in the order given. */
  static RunSummary of(List<Counts> destinations) {
    return new RunSummary(destinations);
  }

  /** Each destination's counts, in the order given. */
  List<Counts> destinations() {
    return destinations;
  }

  /** The counts of all destinations together. */
  Counts total() {
    return total;
  }

  /**
   * The lines to print: one per destination when there are several ({@code destination demo-http:
   * delivered=5 failed=0 pending=0 dropped=0}), then the totals ({@code delivered=10 failed=0 pending=0
   * dropped=0}), always last.
   */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (destinations.size() > 1) {
      for (Counts c : destinations) {
        lines.add("destination " + LogText.escape(c.destination()) + ": " + c.text());
      }
    }
    lines.add(total.text());
    return lines;
  }

  /** 0 when every event was delivered (nothing failed, pending or dropped), else 1. */
  int exitStatus() {
    return total.failed() == 0 && total.pending() == 0 && total.dropped() == 0 ? 0 : 1;
  }

  /**
   * One destination's counts.
   *
   * @param destination the destination's name
   * @param delivered events it accepted
   * @param failed events given up on: made dead letters
   * @param pending events still queued for it
   * @param dropped events never queued for it, or lost at close
   */
  record Counts(String destination, long delivered, long failed, long pending, long dropped) {
    /** Checks that the name is present. */
    Counts {
      Objects.requireNonNull(destination, "destination");
    }

    /**
     * The counts of destination {@code name} from its {@code status}. {@code expected} is how many of this
     * run's events it wanted (0 when the run streams nothing, as a drain); those that reached none of its
     * counts were refused before they were queued for it, and count as dropped.
     */
    static Counts of(String name, DestinationStatus status, long expected) {
      long accounted = status.delivered() + status.failed() + status.pending() + status.dropped();
      long refused = Math.max(0, expected - accounted);
      return new Counts(name, status.delivered(), status.failed(), status.pending(), status.dropped() + refused);
    }

    Counts plus(Counts other) {
      return new Counts(destination, delivered + other.delivered, failed + other.failed, pending + other.pending,
          dropped + other.dropped);
    }

    /** {@code delivered=N failed=M pending=K dropped=D}. */
    String text() {
      return "delivered=" + delivered + " failed=" + failed + " pending=" + pending + " dropped=" + dropped;
    }
  }
}
