package io.auditstream.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one {@link Dispatcher}, all daemons:
 *
 * <ul>
 *   <li>{@code audit-stream-delivery-N}: a bounded pool ({@link DeliverySettings#deliveryThreads()}) that
 *       runs the lanes' own work (lease, remove, decide). No network call runs there, so however many
 *       destinations hang, the pool never fills with waiting threads; idle threads end after a minute.
 *   <li>{@code audit-stream-blocking-N}: where sinks that block run {@code deliver} (the default {@code
 *       deliverAsync}); created on demand, ending when idle. Each lane holds at most its window of them.
 *   <li>{@code audit-stream-retry-N}: one timer for waits and sweeps.
 *   <li>{@code audit-stream-callback-N}: one thread that completes submitters' futures.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class EnginePools {
  private static final long IDLE_SECONDS = 60;

  final ThreadPoolExecutor delivery;
  final ThreadPoolExecutor blocking;
  final ScheduledThreadPoolExecutor retryTimer;
  private final ExecutorService callbackPool;

  EnginePools(int deliveryThreads) {
    this.delivery = new ThreadPoolExecutor(deliveryThreads, deliveryThreads, IDLE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DaemonThreadFactory("audit-stream-delivery"));
    delivery.allowCoreThreadTimeOut(true);
    this.blocking = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), new DaemonThreadFactory("audit-stream-blocking"));
    this.retryTimer = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("audit-stream-retry"));
    // Cancelled retries (deleted destinations) must not linger in the timer's queue.
    retryTimer.setRemoveOnCancelPolicy(true);
    this.callbackPool = Executors.newSingleThreadExecutor(new DaemonThreadFactory("audit-stream-callback"));
  }

  /**
   * Completes submitters' futures off the routing thread, so that their dependent stages never stall
   * routing; once the pool is shut down, on the completing thread.
   */
  Executor callbacks() {
    return task -> {
      try {
        callbackPool.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  /** Interrupts the sinks' blocking calls still running and takes no more. */
  void stopBlocking() {
    blocking.shutdownNow();
  }

  /** Whether the delivery, blocking and retry pools all still take work. */
  boolean running() {
    return !delivery.isShutdown() && !blocking.isShutdown() && !retryTimer.isShutdown();
  }

  /**
   * Stops the timer and the delivery threads, waiting up to {@code wait} for the latter.
   *
   * @return whether the delivery threads ended in time
   */
  boolean stopDelivery(Duration wait) {
    retryTimer.shutdownNow();
    delivery.shutdownNow();
    try {
      return delivery.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Lets the callback thread end once it completed what it was given. */
  void stopCallbacks() {
    callbackPool.shutdown();
  }
}
