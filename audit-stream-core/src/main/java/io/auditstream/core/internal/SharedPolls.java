package io.auditstream.core.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's looks at what other processes did, when it shares its store or its queue with them: the
 * store's change count every {@code storePollInterval} ({@link DestinationRefresh}), and the queue's
 * inbox and backlogs every queue poll interval ({@link SharedQueuePoll}), each queue poll preceded by a
 * look at the store, so that the inbox is routed with the destinations as they are now; the store has no
 * poll of its own when the queue's come at least as often. Both run on one
 * {@code audit-stream-poll} daemon thread, made only when something is shared.
 *
 * <p>Thread-safe.
 */
final class SharedPolls {
  // Logged as the dispatcher: hosts set one logger for what the engine does with their events.
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final DestinationRefresh refresh;
  private final SharedQueuePoll queuePoll;
  private final Duration storePollInterval;
  private final BooleanSupplier closed;
  private volatile ScheduledThreadPoolExecutor timer;

  SharedPolls(DestinationRefresh refresh, SharedQueuePoll queuePoll, Duration storePollInterval,
      BooleanSupplier closed) {
    this.refresh = refresh;
    this.queuePoll = queuePoll;
    this.storePollInterval = storePollInterval;
    this.closed = closed;
  }

  /** Starts polling what is shared: the store when {@code sharedStore}, the queue when its interval is positive. */
  void start(boolean sharedStore, Duration queuePollInterval) {
    boolean sharedQueue = queuePollInterval != null && !queuePollInterval.isZero() && !queuePollInterval.isNegative();
    if (!sharedStore && !sharedQueue) {
      return;
    }
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("audit-stream-poll"));
    t.setRemoveOnCancelPolicy(true);
    timer = t;
    if (closed.getAsBoolean()) {
      // Closed while starting: close may have looked for the timer before it was set.
      t.shutdown();
      return;
    }
    try {
      // A queue poll looks at the store first: a store poll of its own only where the queue's come less often.
      if (sharedStore && (!sharedQueue || queuePollInterval.compareTo(storePollInterval) > 0)) {
        t.scheduleWithFixedDelay(guarded(refresh::poll), storePollInterval.toNanos(), storePollInterval.toNanos(),
            TimeUnit.NANOSECONDS);
      }
      if (sharedQueue) {
        Runnable poll = sharedStore ? () -> {
          refresh.poll();
          queuePoll.poll();
        } : queuePoll::poll;
        t.scheduleWithFixedDelay(guarded(poll), queuePollInterval.toNanos(), queuePollInterval.toNanos(),
            TimeUnit.NANOSECONDS);
      }
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: nothing to poll for.
    }
  }

  /** Stops polling, waiting up to {@code wait} for a poll under way. */
  void stop(Duration wait) {
    ScheduledThreadPoolExecutor t = timer;
    if (t == null) {
      return;
    }
    // Not interrupted: a poll may be inside a database call. It sees the engine closed and ends soon.
    t.shutdown();
    try {
      if (!t.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("A poll for other processes' work was still running when audit streaming closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code poll}, which must not end its schedule whatever goes wrong (an exception would cancel it). */
  private static Runnable guarded(Runnable poll) {
    return () -> {
      try {
        poll.run();
      } catch (RuntimeException | Error e) {
        log.warn("A poll for other processes' work failed; trying again at the next one: {}", ErrorChain.classes(e));
      }
    };
  }
}
