package io.auditstream.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns what bench/run measured into the table, the targets, the one summary line (always the last line
 * printed) and the results JSON. Arguments: {@code <folder> <results.json> <mode> <jdk>...}; the first
 * JDK is the one the summary line and the targets speak of.
 */
public final class ReportMain {
  private ReportMain() {}

  /** A row of the table: its label and how to read it from one JDK's figures. */
  private record Row(String label, Function<Figures, String> value) {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String mode = args[2];
    List<Figures> runs = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      Figures f = Figures.read(dir, args[i]);
      if (!f.isEmpty()) {
        runs.add(f);
      }
    }
    if (runs.isEmpty()) {
      throw new IllegalStateException("nothing was measured in " + dir);
    }
    Figures main = runs.get(0);
    printTable(runs);
    System.out.println();
    List<Map<String, Object>> targets = Targets.evaluate(main);
    Targets.print(targets, main.jdk);
    Map<String, Object> summary = summary(main);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", mode);
    json.put("when", java.time.Instant.now().toString());
    json.put("machine", Map.of("nproc", Runtime.getRuntime().availableProcessors(),
        "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
    json.put("summary", summary);
    json.put("targets", targets);
    Map<String, Object> perJdk = new LinkedHashMap<>();
    for (Figures f : runs) {
      perJdk.put(f.jdk, Map.of("jmh", f.jmh, "e2e", f.e2e, "overload", OverloadFigures.json(f)));
    }
    json.put("runs", perJdk);
    Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));

    System.out.println();
    System.out.println("note: 2 shared, noisy cores: absolute figures move from run to run; every ratio below"
        + " compares figures of this one run, on the same receiver. results: " + out);
    System.out.println(summaryLine(summary));
  }

  private static void printTable(List<Figures> runs) {
    List<Row> rows = List.of(
        new Row("stream() median ns/op (caller)", f -> num(f.jmh("StreamBenchmark.stream"), 1)),
        new Row("stream() caller-thread B/op", f -> num(f.jmh("StreamBenchmark.stream:alloc_caller"), 1)),
        new Row("stream() all-threads B/op (-prof gc)", f -> num(f.jmh("StreamBenchmark.stream:alloc_all_threads"), 0)),
        new Row("stream() refused during JMH", f -> num(f.jmh("StreamBenchmark.stream:refused"), 0)),
        new Row("stream() group without destinations ns", f -> num(f.jmh("StreamBenchmark.streamToGroupWithoutDestinations"), 1)),
        new Row("AuditEvent.build() ns", f -> num(f.jmh("EventBenchmark.build"), 1)),
        new Row("AuditEventJson.encode ns", f -> num(f.jmh("EventBenchmark.encode"), 1)),
        new Row("OTel BatchLogRecordProcessor.onEmit ns", f -> num(f.jmh("OtelEmitBenchmark.onEmit"), 1)),
        new Row("OTel logger emit (record + onEmit) ns", f -> num(f.jmh("OtelEmitBenchmark.loggerEmit"), 1)),
        new Row("engine ns/event, 1 destination", f -> num(f.jmh("RoutingBenchmark.routeAndDeliver[1]"), 0)),
        new Row("engine ns/event, 100 destinations", f -> num(f.jmh("RoutingBenchmark.routeAndDeliver[100]"), 0)),
        new Row("engine ns/event, 10,000 destinations", f -> num(f.jmh("RoutingBenchmark.routeAndDeliver[10000]"), 0)),
        e2e("library, 1 destination ev/s (JDK transport)", "lib-1"),
        e2e("library, 10 destinations total ev/s", "lib-10", "requests_per_s"),
        e2e("library, 1 dest. beside a hanging one ev/s", "lib-iso"),
        e2e("library, 1 destination ev/s (Apache transp.)", "lib-apache5-1"),
        e2e("library, embedded SQLite ev/s", "lib-sqlite"),
        e2e("library, PostgreSQL ev/s", "lib-postgres"),
        e2e("library, embedded SQLite, batch mode ev/s", "lib-sqlite-batch"),
        e2e("batch mode ev/s", "batch", "batch_events_per_s"),
        e2e("naive HttpClient.send loop ev/s", "naive"),
        e2e("JDK sendAsync, 16 in flight ev/s", "jdk-async"),
        e2e("Apache 5 async, 16 in flight ev/s", "apache-async"),
        e2e("Apache 5 classic, 16 threads ev/s", "apache-classic"),
        e2e("Jetty HttpClient, 16 in flight ev/s", "jetty-async"),
        e2e("Log4j2 HttpAppender + Async ev/s", "log4j2"),
        e2e("wrk, 1 connection ev/s", "wrk-1"),
        e2e("wrk, 16 connections ev/s", "wrk-16"),
        new Row("library latency p50/p99 ms, half load", f -> latency(f, "lib-1", "p50_us", "p99_us")),
        new Row("library latency p50/p99 ms, saturated", f -> latency(f, "lib-1", "sat_p50_us", "sat_p99_us")),
        new Row("library peak heap / RSS MiB", f -> pair(f.e2e("lib-1", "peak_heap_mib"), f.e2e("lib-1", "peak_rss_mib"))),
        new Row("library events lost (1 dest.)", f -> num(f.e2e("lib-1", "lost"), 0)),
        new Row("backlog drain ev/s (100,000 pending)", OverloadFigures::backlogRate),
        new Row("backlog drain / one-destination rate", OverloadFigures::backlogRatio),
        new Row("1M offered: peak heap / RSS MiB", OverloadFigures::millionMemory),
        new Row("1M offered: accepted / dropped / lost", OverloadFigures::millionAccounting),
        new Row("library run judged (summary, targets)", Figures::libraryRun),
        new Row("vs_sync (library / naive loop)", f -> ratio(lib(f), f.e2e("naive", "events_per_s"))),
        new Row("vs_log4j2 (library / Log4j2)", f -> ratio(lib(f), f.e2e("log4j2", "events_per_s"))),
        new Row("of_client (library / fastest client) %", f -> pct(lib(f), clientRate(f))),
        new Row("of_limit (library / wrk-16) %", f -> pct(lib(f), f.e2e("wrk-16", "events_per_s"))));
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-44s", "figure"));
    for (Figures f : runs) {
      header.append(String.format(Locale.ROOT, " | %-16s", "JDK " + f.jdk));
    }
    System.out.println(header);
    System.out.println("-".repeat(header.length()));
    for (Row row : rows) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-44s", row.label()));
      for (Figures f : runs) {
        line.append(String.format(Locale.ROOT, " | %-16s", row.value().apply(f)));
      }
      System.out.println(line);
    }
    for (Figures f : runs) {
      for (String label : f.e2e.keySet()) {
        String note = f.note(label);
        if (!note.isEmpty()) {
          System.out.println("  JDK " + f.jdk + " " + label + ": " + note);
        }
      }
    }
  }

  private static Row e2e(String label, String run) {
    return e2e(label, run, "events_per_s");
  }

  private static Row e2e(String label, String run, String field) {
    return new Row(label, f -> {
      if (run.equals("batch")) {
        return f.e2e.containsKey("batch") ? f.e2e.get("batch").path(field).asText("n/a") : "-";
      }
      Double v = f.e2e(run, field);
      return v != null ? num(v, 0) : f.e2e.containsKey(run) ? "n/a" : "-";
    });
  }

  /** The events per second of the library run the summary judges. */
  static Double lib(Figures f) {
    return f.e2e(f.libraryRun(), "events_per_s");
  }

  static Double clientRate(Figures f) {
    Map.Entry<String, Double> best = f.fastestClient();
    return best == null ? null : best.getValue();
  }

  static Map<String, Object> summary(Figures f) {
    Map<String, Object> s = new LinkedHashMap<>();
    Double lib = lib(f);
    s.put("events_per_s", lib == null ? "n/a" : Math.round(lib));
    s.put("vs_sync", ratio(lib, f.e2e("naive", "events_per_s")));
    s.put("vs_log4j2", ratio(lib, f.e2e("log4j2", "events_per_s")));
    s.put("of_client", pct(lib, clientRate(f)));
    s.put("of_limit", pct(lib, f.e2e("wrk-16", "events_per_s")));
    Double emit = f.jmh("StreamBenchmark.stream");
    s.put("emit_ns", emit == null ? "n/a" : Math.round(emit));
    Double batch = f.e2e("batch", "batch_events_per_s");
    s.put("batch_events_per_s", batch == null ? "n/a" : Math.round(batch));
    return s;
  }

  private static String summaryLine(Map<String, Object> s) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : s.entrySet()) {
      b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  static String num(Double v, int decimals) {
    return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  static String pct(Double a, Double b) {
    return a == null || b == null || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", 100 * a / b);
  }

  private static String pair(Double a, Double b) {
    return num(a, 0) + " / " + num(b, 0);
  }

  private static String latency(Figures f, String run, String p50, String p99) {
    Double a = f.e2e(run, p50);
    Double b = f.e2e(run, p99);
    return a == null ? "-" : num(a / 1000, 1) + " / " + num(b / 1000, 1);
  }
}
