package io.auditstream.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one JDK's run, read from what bench/run left in a folder: {@code jmh-<jdk>.json} (JMH's
 * JSON), {@code aux-<jdk>.txt} (caller-thread allocation lines) and {@code e2e-<jdk>-<label>.json} (one
 * sender's result each). A figure that was not measured is absent ({@code null}). Immutable once read.
 */
final class Figures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AUX = Pattern.compile("(\\S+) caller_alloc_bytes_per_op=([0-9.]+) refused=(\\d+)");

  final String jdk;
  final Map<String, Double> jmh = new LinkedHashMap<>();
  final Map<String, JsonNode> e2e = new LinkedHashMap<>();

  private Figures(String jdk) {
    this.jdk = jdk;
  }

  static Figures read(Path dir, String jdk) throws IOException {
    Figures f = new Figures(jdk);
    Path jmhFile = dir.resolve("jmh-" + jdk + ".json");
    if (Files.exists(jmhFile) && Files.size(jmhFile) > 0) {
      for (JsonNode b : JSON.readTree(jmhFile.toFile())) {
        String name = b.get("benchmark").asText().replaceAll("^.*\\.(\\w+\\.\\w+)$", "$1");
        JsonNode params = b.get("params");
        if (params != null && params.has("destinations")) {
          name += "[" + params.get("destinations").asText() + "]";
        }
        f.jmh.put(name, median(b.get("primaryMetric").get("rawData")));
        JsonNode norm = b.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
        if (!norm.isMissingNode()) {
          f.jmh.put(name + ":alloc_all_threads", norm.asDouble());
        }
      }
    }
    Path aux = dir.resolve("aux-" + jdk + ".txt");
    if (Files.exists(aux)) {
      for (String line : Files.readAllLines(aux)) {
        Matcher m = AUX.matcher(line.trim());
        if (m.matches()) {
          String name = m.group(1).replaceAll("^.*\\.(\\w+\\.\\w+)$", "$1");
          f.jmh.put(name + ":alloc_caller", Double.parseDouble(m.group(2)));
          f.jmh.put(name + ":refused", Double.parseDouble(m.group(3)));
        }
      }
    }
    String prefix = "e2e-" + jdk + "-";
    try (var files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String file = p.getFileName().toString();
        if (file.startsWith(prefix) && file.endsWith(".json") && Files.size(p) > 0) {
          f.e2e.put(file.substring(prefix.length(), file.length() - 5), JSON.readTree(p.toFile()));
        }
      }
    }
    return f;
  }

  boolean isEmpty() {
    return jmh.isEmpty() && e2e.isEmpty();
  }

  /** The median of JMH's per-iteration scores: robust against one iteration hit by a neighbour. */
  private static double median(JsonNode rawData) {
    List<Double> values = new ArrayList<>();
    for (JsonNode fork : rawData) {
      for (JsonNode v : fork) {
        values.add(v.asDouble());
      }
    }
    Collections.sort(values);
    int n = values.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  /**
   * The run the summary and the targets judge: the library on the Apache HttpClient 5 transport when that
   * run has a figure (the HTTP sink picks the transport up when the module is on the class path, as a host
   * that wants the speed would have it), else on the default JDK transport.
   */
  String libraryRun() {
    return e2e("lib-apache5-1", "events_per_s") != null ? "lib-apache5-1" : "lib-1";
  }

  Double jmh(String name) {
    return jmh.get(name);
  }

  /** A number of a sender's result, or null when that sender did not run, was skipped or failed. */
  Double e2e(String label, String field) {
    JsonNode r = e2e.get(label);
    if (r == null || r.has("skipped") || r.has("error") || !r.path(field).isNumber()) {
      return null;
    }
    return r.get(field).asDouble();
  }

  /** Why a sender has no figure: skipped, failed, or not run. */
  String note(String label) {
    JsonNode r = e2e.get(label);
    if (r == null) {
      return "not run";
    }
    if (r.has("skipped")) {
      return "skipped: " + r.get("skipped").asText();
    }
    if (r.has("error")) {
      return "failed: " + r.get("error").asText();
    }
    return "";
  }

  /** The fastest raw client with requests in flight, as label and events per second. */
  Map.Entry<String, Double> fastestClient() {
    Map.Entry<String, Double> best = null;
    for (String label : List.of("jdk-async", "apache-async", "apache-classic", "jetty-async")) {
      Double v = e2e(label, "events_per_s");
      if (v != null && (best == null || v > best.getValue())) {
        best = Map.entry(label, v);
      }
    }
    return best;
  }
}
