package io.auditstream.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits in a test, for a bounded time, until something that happens on another thread has happened:
 * a delivery arrived, a destination counted a failure, a server started.
 *
 * <pre>{@code
 * Await.until(Duration.ofSeconds(5), () -> status(d).consecutiveFailures() > 0, "a failure of " + d.name());
 * String state = Await.untilValue(Duration.ofSeconds(20), proxy::getState, "STARTED"::equals, "the S3 proxy to start");
 * }</pre>
 *
 * <p>Both methods check at once, then after every {@link #POLL_INTERVAL} of sleep, until the check
 * passes or the timeout has passed; the last sleep ends at the timeout, so the last check comes right
 * after it, and then they fail with an {@link AssertionError} that says what was awaited. They return
 * or fail within the timeout plus one check (a check that itself blocks is not cut short). An exception thrown by a check is not caught: it
 * ends the wait at once. When the waiting thread is interrupted, the wait fails at once with an
 * {@code AssertionError} and the thread's interrupt status is kept.
 *
 * <p>Prefer an exact signal where one exists ({@code AuditStreamer.flush}, {@link
 * RecordingSinkProvider#awaitReceived}, a {@link TestClock}); polling is for what offers none.
 * Stateless and thread-safe.
 */
public final class Await {
  /** How long a wait sleeps between two checks: 10 milliseconds. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

  private Await() {}

  /**
   * Returns once {@code condition} holds; fails if it does not hold within {@code timeout}.
   *
   * @param timeout how long to wait at most; zero checks once
   * @param condition the check, called on this thread
   * @param description what is awaited, for the failure message, for example {@code "3 delivery
   *     attempts"}
   * @throws AssertionError when {@code condition} still does not hold after {@code timeout}, or the
   *     thread is interrupted while waiting
   * @throws IllegalArgumentException when {@code timeout} is negative
   * @throws NullPointerException when an argument is null
   */
  public static void until(Duration timeout, BooleanSupplier condition, String description) {
    Objects.requireNonNull(condition, "condition");
    poll(timeout, condition::getAsBoolean, Boolean.TRUE::equals, description, false);
  }

  /**
   * Returns the first value of {@code value} that {@code accepted} accepts; fails if none comes within
   * {@code timeout}. The failure message shows the last value read, so do not await a secret this way.
   *
   * @param timeout how long to wait at most; zero checks once
   * @param value what to read, called on this thread
   * @param accepted whether a value is the awaited one
   * @param description what is awaited, for the failure message
   * @param <T> the type of the value
   * @return the accepted value
   * @throws AssertionError when no accepted value came within {@code timeout}, or the thread is
   *     interrupted while waiting
   * @throws IllegalArgumentException when {@code timeout} is negative
   * @throws NullPointerException when an argument is null
   */
  public static <T> T untilValue(
      Duration timeout, Supplier<? extends T> value, Predicate<? super T> accepted, String description) {
    return poll(timeout, value, accepted, description, true);
  }

  private static <T> T poll(
      Duration timeout, Supplier<? extends T> value, Predicate<? super T> accepted, String description,
      boolean showLastValue) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(description, "description");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative");
    }
    long timeoutNanos = saturatedNanos(timeout);
    long pollNanos = POLL_INTERVAL.toNanos();
    long start = System.nanoTime();
    while (true) {
      T current = value.get();
      if (accepted.test(current)) {
        return current;
      }
      // Elapsed time against the timeout, not a deadline, so that a huge timeout cannot overflow.
      long remaining = timeoutNanos - (System.nanoTime() - start);
      if (remaining <= 0) {
        throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + description
            + (showLastValue ? " (last value: " + current + ")" : ""));
      }
      try {
        // Never past the timeout, so the last check comes right after it.
        long sleep = Math.min(pollNanos, remaining);
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for " + description, e);
      }
    }
  }

  private static long saturatedNanos(Duration timeout) {
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
