package io.auditstream.benchmarks.e2e;

import io.auditstream.api.destination.HttpBatching;
import java.time.Duration;
import java.util.Map;

/**
 * Batch mode: the library streaming to one HTTP destination whose batching is on ({@value #MAX_EVENTS}
 * events, 1 MiB, 5 ms linger), so that one POST carries many events as NDJSON; measured as {@link
 * LibrarySender} measures one POST per event, its figure being the events the receiver counted per
 * second ({@code batch_events_per_s}), not its requests.
 */
final class BatchMode {
  /** The most events one POST carries. */
  static final int MAX_EVENTS = 1000;
  /** The destination's batching. */
  static final HttpBatching BATCHING = new HttpBatching(MAX_EVENTS, 1024 * 1024, Duration.ofMillis(5));
  /**
   * Deliveries outstanding at most: enough for every request in flight (16 at most) to be full, and
   * as many again waiting, within the in-memory queue's bound per destination.
   */
  static final int WINDOW = 2 * 16 * MAX_EVENTS;

  private BatchMode() {}

  /** Puts {@code batch_events_per_s}, and what {@link LibrarySender} measures, in {@code out}. */
  static void run(SenderOptions options, Map<String, Object> out) throws Exception {
    out.put("batch_max_events", BATCHING.maxEvents());
    out.put("batch_max_bytes", BATCHING.maxBytes());
    out.put("batch_linger_ms", BATCHING.linger().toMillis());
    new LibrarySender(options, BATCHING, WINDOW).run(out);
    out.put("batch_events_per_s", out.get("events_per_s"));
    long requests = ((Number) out.get("window_requests")).longValue();
    long events = ((Number) out.get("window_events")).longValue();
    out.put("events_per_request", requests == 0 ? 0 : Math.round(10.0 * events / requests) / 10.0);
  }
}
