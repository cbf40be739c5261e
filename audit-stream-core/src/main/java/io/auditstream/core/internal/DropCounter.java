package io.auditstream.core.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped events and decides when a drop is worth a log line: the first drop, then at most
 * one per interval, each line carrying the running count. This keeps a flood of drops from turning
 * into a flood of log lines on the host's thread while never leaving drops silent.
 *
 * <p>Thread-safe and lock-free: {@link #drop()} is one add and, at most once per interval, one
 * compare-and-set.
 */
final class DropCounter {
  /** How often a continuing run of drops is logged again. */
  static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  private final LongAdder count = new LongAdder();
  private final AtomicLong nextWarnNanos = new AtomicLong(Long.MIN_VALUE);
  private final long intervalNanos;

  DropCounter() {
    this(WARN_INTERVAL);
  }

  DropCounter(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Counts one drop; returns true when the caller should log it now. */
  boolean drop() {
    count.increment();
    long now = System.nanoTime();
    long next = nextWarnNanos.get();
    return (next == Long.MIN_VALUE || now - next >= 0) && nextWarnNanos.compareAndSet(next, now + intervalNanos);
  }

  /** Drops so far. */
  long count() {
    return count.sum();
  }
}
