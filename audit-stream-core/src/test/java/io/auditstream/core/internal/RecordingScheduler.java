package io.auditstream.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

/**
 * Records every delay it is asked for and runs the task at once, on another thread; or, once {@link
 * #hold()} was called, keeps the tasks until {@link #runHeld()}.
 */
final class RecordingScheduler implements RetryScheduler {
  final List<Duration> delays = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;

  @Override
  public Future<?> schedule(Runnable task, Duration delay) {
    synchronized (held) {
      if (holding) {
        // Held before it is recorded: whoever sees the delay can run the task.
        held.add(task);
        delays.add(delay);
        return new CompletableFuture<Void>();
      }
    }
    delays.add(delay);
    return CompletableFuture.runAsync(task);
  }

  /** Keeps the tasks scheduled from now on, without running them. */
  void hold() {
    synchronized (held) {
      holding = true;
    }
  }

  /** Runs the tasks kept so far, on other threads, and keeps holding those scheduled later. */
  void runHeld() {
    List<Runnable> due;
    synchronized (held) {
      due = new ArrayList<>(held);
      held.clear();
    }
    due.forEach(CompletableFuture::runAsync);
  }

  /** How many tasks are kept. */
  int heldCount() {
    synchronized (held) {
      return held.size();
    }
  }
}
