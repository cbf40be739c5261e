package io.auditstream.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The performance targets, each judged met, missed or not measured from one JDK's figures. */
final class Targets {
  private Targets() {}

  static List<Map<String, Object>> evaluate(Figures f) {
    List<Map<String, Object>> t = new ArrayList<>();
    Double lib = ReportMain.lib(f);
    Double naive = f.e2e("naive", "events_per_s");
    add(t, "one destination >= 4x naive loop (5x stretch)", div(lib, naive), 4.0, "x");
    add(t, "one destination >= 80% of the fastest raw client", pct(lib, ReportMain.clientRate(f)), 80.0, "%");
    add(t, "one destination >= 10x Log4j2 appender", div(lib, f.e2e("log4j2", "events_per_s")), 10.0, "x");
    add(t, "one destination >= 30% of wrk-16", pct(lib, f.e2e("wrk-16", "events_per_s")), 30.0, "%");
    // Both on the default transport.
    add(t, "10 destinations total >= one-destination figure",
        div(f.e2e("lib-10", "requests_per_s"), f.e2e("lib-1", "events_per_s")), 1.0, "x");
    add(t, "batch mode >= 100,000 events/s", f.e2e("batch", "batch_events_per_s"), 100_000.0, "ev/s");
    Double emit = f.jmh("StreamBenchmark.stream");
    add(t, "stream() <= 200 ns median", emit == null ? null : 200.0 / emit, 1.0, "(200 ns / figure)");
    Double otel = f.jmh("OtelEmitBenchmark.onEmit");
    add(t, "stream() no slower than OTel onEmit", emit == null || otel == null ? null : otel / emit, 1.0,
        "(OTel / stream)");
    add(t, "durable embedded >= 20,000 events/s end to end", f.e2e("lib-sqlite", "events_per_s"), 20_000.0, "ev/s");
    add(t, "durable embedded, batch mode on, >= 20,000 events/s", f.e2e("lib-sqlite-batch", "events_per_s"), 20_000.0,
        "ev/s");
    return t;
  }

  private static void add(List<Map<String, Object>> t, String target, Double value, double threshold, String unit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target);
    m.put("value", value == null ? "n/a" : Math.round(value * 100) / 100.0);
    m.put("unit", unit);
    m.put("status", value == null ? "not measured" : value >= threshold ? "met" : "missed");
    t.add(m);
  }

  static void print(List<Map<String, Object>> targets, String jdk) {
    System.out.println("targets (JDK " + jdk + "):");
    for (Map<String, Object> m : targets) {
      System.out.println(String.format(Locale.ROOT, "  %-50s %-12s %s %s", m.get("target"), m.get("status"),
          m.get("value"), m.get("unit")));
    }
  }

  private static Double div(Double a, Double b) {
    return a == null || b == null || b == 0 ? null : a / b;
  }

  private static Double pct(Double a, Double b) {
    return a == null || b == null || b == 0 ? null : 100 * a / b;
  }
}
