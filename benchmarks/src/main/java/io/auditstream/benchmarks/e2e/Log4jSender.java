package io.auditstream.benchmarks.e2e;

import io.auditstream.benchmarks.TypicalEvent;
import io.auditstream.core.AuditEventJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log4j2's {@code HttpAppender} behind its {@code AsyncAppender}, as a host would stream audit events
 * with a logging framework: the configuration is {@code bench/log4j2-bench.xml} (given with {@code
 * -Dlog4j2.configurationFile}, the receiver's URL with {@code -Dbench.url}), each event built, encoded
 * as the library would, and logged as its JSON. The async appender blocks the caller when full.
 */
final class Log4jSender {
  private final SenderOptions options;

  Log4jSender(SenderOptions options) {
    this.options = options;
  }

  void run(Map<String, Object> out) throws Exception {
    if (System.getProperty("log4j2.configurationFile") == null) {
      throw new IllegalStateException("-Dlog4j2.configurationFile must name bench/log4j2-bench.xml");
    }
    System.setProperty("bench.url", options.destinationUrl(0));
    Logger logger = LogManager.getLogger("audit");
    ReceiverControl receiver = new ReceiverControl(options.receiver());
    receiver.reset();
    long[] emitted = new long[1];
    LoadWindow.measure(receiver, stop -> {
      while (!stop.get()) {
        byte[] json = AuditEventJson.encode(TypicalEvent.create("acme", TypicalEvent.nowMicros()));
        logger.info(new String(json, StandardCharsets.UTF_8));
        emitted[0]++;
      }
    }, options.warmup(), options.window(), out);
    out.put("events_per_s", out.get("requests_per_s"));
    out.put("sat_p50_us", out.remove("p50_us"));
    out.put("sat_p99_us", out.remove("p99_us"));
    // Stops the async appender, which delivers what it holds, bounded by its shutdownTimeout.
    Configurator.shutdown((LoggerContext) LogManager.getContext(false), 10, TimeUnit.SECONDS);
    out.put("emitted", emitted[0]);
    out.put("received_distinct_ids", receiver.stats().get("distinct_ids").asLong());
  }
}
