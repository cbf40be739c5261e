package io.auditstream.benchmarks.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line of {@link SenderMain}: {@code --name value} pairs. Immutable.
 *
 * @param mode which sender: {@code library}, {@code batch}, {@code backlog}, {@code million}, {@code naive},
 *     {@code jdk-async}, {@code apache-async}, {@code apache-classic}, {@code jetty-async}, {@code log4j2},
 *     {@code wrk}
 * @param receiver the receiver's base URL ({@code http://127.0.0.1:port})
 * @param blackhole base URL of the port that never answers (isolation)
 * @param warmup load before the window
 * @param window the measured window
 * @param paced length of the library's paced-latency phase (zero: none)
 * @param destinations HTTP destinations of the measured group (library)
 * @param store {@code memory}, {@code sqlite} or {@code postgres} (library)
 * @param transport {@code default} or {@code apache5} (library, batch, backlog, million)
 * @param isolation whether another group's destination hangs meanwhile (library)
 * @param inFlight requests in flight of the raw clients, and connections of {@code wrk}
 * @param wrkScript the Lua script that {@code wrk} posts with
 */
record SenderOptions(String mode, String receiver, String blackhole, Duration warmup, Duration window, Duration paced,
    int destinations, String store, String transport, boolean isolation, int inFlight, String wrkScript) {

  static SenderOptions parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name, got " + args[i]);
      }
      boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
      m.put(args[i].substring(2), flag ? "true" : args[++i]);
    }
    return new SenderOptions(
        required(m, "mode"), required(m, "receiver"), m.getOrDefault("blackhole", ""),
        seconds(m.getOrDefault("warmup-s", "1")), seconds(m.getOrDefault("window-s", "3")),
        seconds(m.getOrDefault("paced-s", "0")), Integer.parseInt(m.getOrDefault("dests", "1")),
        m.getOrDefault("store", "memory"), m.getOrDefault("transport", "default"),
        Boolean.parseBoolean(m.getOrDefault("isolation", "false")),
        Integer.parseInt(m.getOrDefault("in-flight", "16")), m.getOrDefault("wrk-script", "bench/wrk-post.lua"));
  }

  private static String required(Map<String, String> m, String name) {
    String v = m.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private static Duration seconds(String s) {
    return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
  }

  /** The URL of the fast receiver's {@code n}th destination path. */
  String destinationUrl(int n) {
    return receiver + "/d/" + n;
  }
}
