package io.auditstream.core.internal;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The time at which the host's thread accepted each event, in milliseconds since the epoch, found by the
 * routing thread so that the host's thread neither reads a clock nor writes a time: reading the system
 * clock, or a time the router keeps, costs about as much as the rest of {@code stream()}. Internal; may
 * change without notice.
 *
 * <p>How: each time the routing thread comes back to the ingress it reads the clock and then how many
 * events were ever claimed, and keeps the pair (a mark). An event claimed at an index at or above a
 * mark's count was claimed after that mark's reading of the clock, so the time of the latest such mark
 * is never later than the event's acceptance. It is earlier by at most the time the router was away
 * from the ingress: a nap (about a millisecond), a batch's routing (a durable queue's commit among it),
 * or a sleep of the idle router (at most a second). That is far finer than what the time is used for:
 * ages of hours (a {@code RetryPolicy}'s maximum age) and what a dead letter records. Marks no event
 * still in the ingress needs are let go, and one claimed and not yet published keeps the marks it needs.
 *
 * <p>A clock given by the host (a test's clock, moved by hand) is read by the host's thread for each
 * event instead ({@link #perEvent}), so that an event streamed after the clock moved is always stamped
 * after the move.
 *
 * <p>Not thread-safe: only whoever drains the ingress uses it, under the router's drain lock.
 */
final class AcceptanceStamps {
  private static final Class<?> SYSTEM_CLOCK = Clock.systemUTC().getClass();

  private final Clock clock;
  private final boolean perEvent;
  /** {claims, millis}, oldest first; the counts only grow. */
  private final ArrayDeque<long[]> marks = new ArrayDeque<>();

  AcceptanceStamps(Clock clock) {
    this.clock = clock;
    this.perEvent = clock.getClass() != SYSTEM_CLOCK;
  }

  /** Whether the host's thread stamps each event with {@link #now} (a clock of the host's). */
  boolean perEvent() {
    return perEvent;
  }

  /** The clock's time, for a host's thread that stamps its event itself. */
  long now() {
    return clock.millis();
  }

  /** Reads the clock, then {@code claims} (how many events were ever claimed), and keeps the pair. */
  void mark(LongSupplier claims) {
    long millis = clock.millis();
    long claimed = claims.getAsLong();
    long[] last = marks.peekLast();
    if (last != null && last[0] == claimed) {
      // Nothing was claimed since: the new reading holds for the next event, and is closer to it.
      last[1] = millis;
      return;
    }
    marks.addLast(new long[] {claimed, millis});
  }

  /**
   * The acceptance time of the event claimed at {@code index}: the latest mark at or below it. The first
   * mark is taken before any event can be claimed; were there none at or below the index, the oldest
   * mark's time would be given (or the clock's, with no mark at all).
   */
  long stampOf(long index) {
    long stamp = Long.MIN_VALUE;
    for (long[] m : marks) {
      if (m[0] > index) {
        break;
      }
      stamp = m[1];
    }
    if (stamp == Long.MIN_VALUE) {
      long[] oldest = marks.peekFirst();
      return oldest != null ? oldest[1] : clock.millis();
    }
    return stamp;
  }

  /** Lets go of the marks that no event at or above index {@code taken} needs any more. */
  void taken(long taken) {
    while (marks.size() > 1) {
      long[] second = secondMark();
      if (second[0] > taken) {
        return;
      }
      marks.pollFirst();
    }
  }

  /** How many marks are kept (for tests). */
  int marks() {
    return marks.size();
  }

  private long[] secondMark() {
    var it = marks.iterator();
    it.next();
    return it.next();
  }
}
