package io.auditstream.core.internal;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a lane's next attempt after a delay, without a thread sleeping in between. The engine uses a
 * {@link ScheduledExecutorService}; tests plug in one that records the delays it is asked for.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
interface RetryScheduler {
  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @return a handle to cancel it
   * @throws RejectedExecutionException when the scheduler is shut down
   */
  Future<?> schedule(Runnable task, Duration delay);

  /** A scheduler backed by {@code executor}. */
  static RetryScheduler of(ScheduledExecutorService executor) {
    return (task, delay) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
