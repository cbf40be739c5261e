package io.auditstream.core.internal;

import java.time.Clock;

/**
 * The time at which the host's thread accepts an event, in milliseconds since the epoch, without reading
 * the clock for each event: reading the system clock costs about as much as the rest of {@code stream()}
 * together. Internal; may change without notice.
 *
 * <p>The routing thread keeps a reading of the clock ({@link #keep}) while it is awake, and takes it back
 * ({@link #forget}) before anything that may keep it away for long (sleeping; the call that stores a batch
 * in the delivery queue, which may be a database). A producer uses the kept reading when there is one and
 * reads the clock otherwise. So an acceptance time is never later than the real one, and earlier by at
 * most the time since the router last kept a reading: a nap (about a millisecond), or a part of a batch's
 * routing, or however long the routing thread waits for a processor on a busy machine. That is far finer
 * than what the time is used for: ages of hours (a {@code RetryPolicy}'s maximum age) and what a dead
 * letter records.
 *
 * <p>Only the system clock is kept: a clock given by the host (a test's clock, moved by hand) is read for
 * each event, so that an event streamed after the clock moved is always stamped after the move.
 *
 * <p>Thread-safe: {@link #millis} from any thread; {@link #keep} and {@link #forget} from the routing
 * thread.
 */
final class AcceptanceClock {
  private static final long NONE = Long.MIN_VALUE;
  private static final Class<?> SYSTEM_CLOCK = Clock.systemUTC().getClass();

  private final Clock clock;
  private final boolean keepable;
  private volatile long kept = NONE;

  AcceptanceClock(Clock clock) {
    this.clock = clock;
    this.keepable = clock.getClass() == SYSTEM_CLOCK;
  }

  /** Now, for an event being accepted: the kept reading, or the clock's. One volatile read when kept. */
  long millis() {
    long k = kept;
    return k != NONE ? k : clock.millis();
  }

  /** Reads the clock and keeps the reading for producers (unless the clock is not the system's). */
  void keep() {
    if (keepable) {
      kept = clock.millis();
    }
  }

  /** Takes the kept reading back: producers read the clock until the next {@link #keep}. */
  void forget() {
    if (keepable) {
      kept = NONE;
    }
  }
}
