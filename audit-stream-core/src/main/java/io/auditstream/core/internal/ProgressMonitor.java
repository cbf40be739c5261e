package io.auditstream.core.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What {@link DeliveryEngine#flush} waits on: lanes and the router {@link #signal} whenever they
 * finished with some deliveries or events, and a waiter looks again whether everything is drained.
 * The waiter never sleeps long on a missed signal: it looks again at least every {@value
 * #POLL_MILLIS} ms.
 *
 * <p>Thread-safe.
 */
final class ProgressMonitor {
  /** The longest a waiter waits for a signal before it looks again. */
  static final long POLL_MILLIS = 10;
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);

  private final Object monitor = new Object();

  /** Something was delivered, given up on or routed: wakes every waiter. Never blocks for long. */
  void signal() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /**
   * Waits until {@code drained} is true or {@code timeout} passed. Blocks the caller; an interrupt ends
   * the wait (the interrupt flag is kept).
   *
   * @return whether {@code drained} was true at the end
   */
  boolean await(Duration timeout, BooleanSupplier drained) {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    while (true) {
      if (drained.getAsBoolean()) {
        return true;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      synchronized (monitor) {
        try {
          // Bounded wait: a signal that came before we got here is not lost for long.
          TimeUnit.NANOSECONDS.timedWait(monitor, Math.min(remaining, POLL_NANOS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return drained.getAsBoolean();
        }
      }
    }
  }
}
