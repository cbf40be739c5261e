package io.auditstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a load on a thread of its own and measures it at the receiver: a warm-up, then a window whose
 * rate is the receiver's request count (and event count) over the window's length, and whose latency
 * percentiles are those of the events received in it. Every sender uses it, so every figure is measured alike.
 */
final class LoadWindow {
  /** A load that sends until told to stop. */
  interface Load {
    void run(AtomicBoolean stop) throws Exception;
  }

  private LoadWindow() {}

  /**
   * Runs {@code load} for {@code warmup + window}, then stops it (waiting at most 60 s for it to end).
   * Puts {@code requests_per_s}, {@code window_requests}, {@code received_events_per_s}, {@code
   * window_events} (more than the requests when a request carries several events), {@code p50_us} and
   * {@code p99_us} (per event) in {@code out}.
   *
   * @throws IllegalStateException when the load failed or did not stop
   */
  static void measure(ReceiverControl receiver, Load load, Duration warmup, Duration window, Map<String, Object> out)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        load.run(stop);
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "load");
    thread.start();
    try {
      Thread.sleep(warmup.toMillis());
      JsonNode before = receiver.mark();
      long start = System.nanoTime();
      Thread.sleep(window.toMillis());
      JsonNode after = receiver.stats();
      double seconds = (System.nanoTime() - start) / 1e9;
      long requests = after.get("requests").asLong() - before.get("requests").asLong();
      out.put("requests_per_s", Math.round(requests / seconds));
      out.put("window_requests", requests);
      long events = after.get("events").asLong() - before.get("events").asLong();
      out.put("received_events_per_s", Math.round(events / seconds));
      out.put("window_events", events);
      out.put("window_s", Math.round(seconds * 100) / 100.0);
      out.put("p50_us", after.get("p50_us").asLong());
      out.put("p99_us", after.get("p99_us").asLong());
    } finally {
      stop.set(true);
      thread.join(60_000);
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("the load did not stop within 60 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the load failed: " + failure.get(), failure.get());
    }
  }
}
