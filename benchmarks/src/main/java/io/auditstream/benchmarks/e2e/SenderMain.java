package io.auditstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured sender, in a JVM of its own: runs the sender its options name against the receiver and
 * prints one line {@code RESULT <json>} with what it measured (or {@code "skipped"} and why). Exits 0
 * when it measured or skipped, 1 when it failed.
 */
public final class SenderMain {
  private SenderMain() {}

  /** Runs one sender; see {@link SenderOptions} for the arguments. */
  public static void main(String[] args) throws Exception {
    SenderOptions options = SenderOptions.parse(args);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", options.mode());
    out.put("java", System.getProperty("java.version"));
    ProcessMemory memory = ProcessMemory.start();
    int status = 0;
    try {
      switch (options.mode()) {
        case "library" -> new LibrarySender(options).run(out);
        case "batch" -> BatchMode.run(options, out);
        case "backlog" -> BacklogMode.run(options, out);
        case "million" -> MillionMode.run(options, out);
        case "log4j2" -> new Log4jSender(options).run(out);
        case "wrk" -> WrkSender.run(options, out);
        default -> RawClientSenders.run(options, out);
      }
    } catch (Exception | AssertionError e) {
      out.put("error", e.toString());
      status = 1;
    }
    out.put("peak_heap_mib", Math.round(memory.peakHeapMiB()));
    out.put("peak_heap_after_gc_mib", Math.round(memory.peakHeapAfterGcMiB()));
    out.put("peak_rss_mib", Math.round(ProcessMemory.peakRssMiB()));
    System.out.println("RESULT " + new ObjectMapper().writeValueAsString(out));
    System.out.flush();
    System.exit(status);
  }
}
