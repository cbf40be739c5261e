package io.auditstream.benchmarks.e2e;

import io.auditstream.benchmarks.TypicalEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: {@code wrk} posting the typical event's bytes over {@code --in-flight} connections, with
 * the Lua script {@code bench/wrk-post.lua}; measured at the receiver like every other sender. This JVM
 * only starts {@code wrk} and reads the receiver.
 */
final class WrkSender {
  private WrkSender() {}

  static void run(SenderOptions options, Map<String, Object> out) throws Exception {
    Path body = Files.createTempFile("bench-body", ".json");
    try {
      Files.write(body, TypicalEvent.encoded("acme"));
      int connections = options.inFlight();
      long seconds = (options.warmup().toMillis() + options.window().toMillis()) / 1000 + 3;
      List<String> command = List.of("wrk", "-t", String.valueOf(Math.min(2, connections)), "-c",
          String.valueOf(connections), "-d", seconds + "s", "--timeout", "10s", "-s", options.wrkScript(),
          options.destinationUrl(0));
      out.put("connections", connections);
      ReceiverControl receiver = new ReceiverControl(options.receiver());
      receiver.reset();
      LoadWindow.measure(receiver, stop -> {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(new File("/dev/null"));
        pb.environment().put("BENCH_BODY", body.toString());
        Process wrk = pb.start();
        try {
          while (!stop.get() && wrk.isAlive()) {
            Thread.sleep(20);
          }
          if (!stop.get()) {
            throw new IllegalStateException("wrk ended early with status " + wrk.exitValue());
          }
        } finally {
          wrk.destroy();
          if (!wrk.waitFor(5, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
          }
        }
      }, options.warmup(), options.window(), out);
      out.put("events_per_s", out.get("requests_per_s"));
      out.remove("p50_us");
      out.remove("p99_us");
    } finally {
      Files.deleteIfExists(body);
    }
  }
}
