package io.auditstream.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

/** Records every delay it is asked for and runs the task at once, on another thread. */
final class RecordingScheduler implements RetryScheduler {
  final List<Duration> delays = new CopyOnWriteArrayList<>();

  @Override
  public Future<?> schedule(Runnable task, Duration delay) {
    delays.add(delay);
    return CompletableFuture.runAsync(task);
  }
}
