package io.auditstream.benchmarks.e2e;

import io.auditstream.api.destination.HttpDestinationConfig;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;

/**
 * Batch mode: one POST carrying many events. HTTP destinations do not offer it yet, so this reports
 * {@code n/a}; once {@link HttpDestinationConfig.Builder} has a batch setting, {@link #run} is the one
 * function to fill in: configure the destination with it and measure as {@link LibrarySender} does.
 */
final class BatchMode {
  private BatchMode() {}

  /** Puts {@code batch_events_per_s} (or {@code "n/a"} and why) in {@code out}. */
  static void run(SenderOptions options, Map<String, Object> out) {
    boolean offered = Arrays.stream(HttpDestinationConfig.Builder.class.getMethods())
        .map(Method::getName).anyMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("batch"));
    out.put("batch_events_per_s", "n/a");
    out.put("skipped", offered
        ? "HttpDestinationConfig.Builder has a batch setting now: measure it in BatchMode.run"
        : "HTTP destinations send one POST per event; the config offers no batch mode");
  }
}
