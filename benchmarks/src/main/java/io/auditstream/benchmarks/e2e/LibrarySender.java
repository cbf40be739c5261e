package io.auditstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditstream.api.Actor;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.benchmarks.TypicalEvent;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DeliveryStats;
import io.auditstream.sink.http.HttpSinkProvider;
import io.auditstream.sink.http.JdkHttpTransportProvider;
import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The library streaming the typical event to HTTP destinations on the receiver, as a host would: one
 * group ({@code acme}) with one or more destinations, the in-memory queue or a durable store, the
 * default HTTP transport or the Apache HttpClient 5 one, one POST per event or, with batching, many.
 *
 * <p>{@code stream()} never blocks, and a host that streams faster than delivery goes would fill the
 * destination's backlog until deliveries are dropped; the driver therefore keeps at most {@value
 * #WINDOW_PER_DESTINATION} deliveries per destination outstanding (accepted, not yet delivered), read
 * from {@link AuditStreamer#stats()} (with batching, a window of its own, large enough to fill every
 * request in flight). The saturation latency is hence bounded by that window; the paced phase then
 * streams at half the measured rate, where latency is the engine's own. Rates count events at the
 * receiver, whatever number of requests carried them.
 */
final class LibrarySender {
  static final int WINDOW_PER_DESTINATION = 500;
  /** The Owner who creates the destinations. */
  static final Actor OWNER = Actor.of("bench");
  /** The measured group. */
  static final String GROUP = "acme";

  private final SenderOptions options;
  private final HttpBatching batching;
  private final int windowPerDestination;
  private final ReceiverControl receiver;
  private final AtomicLong emitted = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();
  private long calls;

  LibrarySender(SenderOptions options) {
    this(options, null, WINDOW_PER_DESTINATION);
  }

  /**
   * @param batching the destinations' batching; null: one POST per event
   * @param windowPerDestination how many deliveries per destination may be outstanding
   */
  LibrarySender(SenderOptions options, HttpBatching batching, int windowPerDestination) {
    this.options = options;
    this.batching = batching;
    this.windowPerDestination = windowPerDestination;
    this.receiver = new ReceiverControl(options.receiver());
  }

  void run(Map<String, Object> out) throws Exception {
    out.put("destinations", options.destinations());
    out.put("store", options.store());
    out.put("transport", options.transport());
    out.put("isolation", options.isolation());
    try (DurableStores.Opened store = DurableStores.open(options.store())) {
      AuditStreamer.Builder builder = builder(options.transport())
          .maxDestinationsPerKind(Math.max(AuditStreamer.DEFAULT_MAX_DESTINATIONS_PER_KIND, options.destinations()));
      store.configure(builder);
      AuditStreamer streamer = builder.build();
      try {
        measure(streamer, out);
      } finally {
        streamer.close();
      }
    }
  }

  /**
   * A builder of a streamer for the benchmark: every actor an Owner, loopback allowed, the HTTP sink on
   * {@code transport} ({@code apache5} or the default JDK one), every other setting at its default.
   */
  static AuditStreamer.Builder builder(String transport) {
    // Both transports are on the class path: each run names the one it measures.
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> true)
        .allowLocalNetwork(true)
        .addSinkProvider(new HttpSinkProvider(transport.equals("apache5")
            ? new ApacheHttpTransportProvider() : new JdkHttpTransportProvider()));
  }

  /** What a mode measures on one HTTP destination of a streamer of its own. */
  interface OneDestinationRun {
    void measure(AuditStreamer streamer, Destination destination, ReceiverControl receiver);
  }

  /**
   * Runs {@code run} on a streamer built as {@link #builder} builds one, on the transport {@code options}
   * name, with one HTTP destination on the receiver named {@code name}; closes the streamer after.
   */
  static void onOneDestination(SenderOptions options, String name, OneDestinationRun run) {
    AuditStreamer streamer = builder(options.transport()).build();
    try {
      Destination d = streamer.destinations().create(OWNER, GROUP,
          DestinationDraft.http(options.destinationUrl(0)).name(name).build());
      run.measure(streamer, d, new ReceiverControl(options.receiver()));
    } finally {
      streamer.close();
    }
  }

  private void measure(AuditStreamer streamer, Map<String, Object> out) throws Exception {
    for (int i = 0; i < options.destinations(); i++) {
      streamer.destinations().create(OWNER, GROUP, DestinationDraft.builder(HttpDestinationConfig.builder()
          .destinationUrl(options.destinationUrl(i)).batching(batching)).name("receiver-" + i).build());
    }
    if (options.isolation()) {
      streamer.destinations().create(OWNER, "hanging", DestinationDraft.http(options.blackhole() + "/hangs").name("hangs").build());
    }
    receiver.reset();
    long start = System.nanoTime();
    LoadWindow.measure(receiver, stop -> saturate(streamer, stop), options.warmup(), options.window(), out);
    long perDestination = (Long) out.get("received_events_per_s") / options.destinations();
    out.put("events_per_s", perDestination);
    out.put("sat_p50_us", out.remove("p50_us"));
    out.put("sat_p99_us", out.remove("p99_us"));
    if (!options.paced().isZero()) {
      drain(streamer, Duration.ofSeconds(30));
      long rate = Math.max(1, perDestination / 2);
      receiver.mark();
      pace(streamer, rate, options.paced());
      drain(streamer, Duration.ofSeconds(30));
      JsonNode paced = receiver.stats();
      out.put("paced_events_per_s", rate);
      out.put("p50_us", paced.get("p50_us").asLong());
      out.put("p99_us", paced.get("p99_us").asLong());
    }
    boolean flushed = drain(streamer, Duration.ofSeconds(30));
    DeliveryStats stats = streamer.stats();
    JsonNode received = receiver.stats();
    out.put("run_s", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    out.put("emitted", emitted.get());
    out.put("refused_full", refusals.get());
    out.put("delivered", stats.delivered());
    out.put("dropped", stats.dropped());
    out.put("dead_lettered", stats.deadLettered());
    out.put("received_distinct_ids", received.get("distinct_ids").asLong());
    // Only meaningful once drained: until then, what is missing may still be on its way.
    out.put(flushed ? "lost" : "undelivered_at_end", emitted.get() - received.get("distinct_ids").asLong());
    out.put("drained", flushed);
  }

  /** Streams as fast as the outstanding window lets. */
  private void saturate(AuditStreamer streamer, AtomicBoolean stop) {
    long window = (long) windowPerDestination * options.destinations();
    long completed = 0;
    int sinceCheck = Integer.MAX_VALUE;
    while (!stop.get()) {
      if (sinceCheck >= 64) {
        completed = completed(streamer.stats());
        sinceCheck = 0;
      }
      if (emitted.get() * options.destinations() - completed >= window) {
        // A millisecond: polling stats() harder would take CPU from the engine on a small machine.
        LockSupport.parkNanos(1_000_000);
        sinceCheck = Integer.MAX_VALUE;
        continue;
      }
      emitOne(streamer);
      sinceCheck++;
    }
  }

  /** Streams {@code rate} events a second for {@code length}, each at its due time. */
  private void pace(AuditStreamer streamer, long rate, Duration length) {
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long end = System.nanoTime() + length.toNanos();
    long next = System.nanoTime();
    while (next < end) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      emitOne(streamer);
      next += interval;
    }
  }

  private void emitOne(AuditStreamer streamer) {
    // With isolation, one event in a hundred goes to the group whose destination hangs.
    String group = options.isolation() && ++calls % 100 == 0 ? "hanging" : GROUP;
    while (!streamer.stream(TypicalEvent.create(group, TypicalEvent.nowMicros()))) {
      refusals.incrementAndGet();
      LockSupport.parkNanos(50_000);
    }
    if (group.equals(GROUP)) {
      emitted.incrementAndGet();
    }
  }

  private static long completed(DeliveryStats s) {
    return s.delivered() + s.dropped() + s.deadLettered();
  }

  /** Waits until every delivery to the measured group is done, at most {@code timeout}. */
  private boolean drain(AuditStreamer streamer, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long expected = emitted.get() * options.destinations();
    while (System.nanoTime() < deadline) {
      if (completed(streamer.stats()) >= expected) {
        return true;
      }
      LockSupport.parkNanos(2_000_000);
    }
    return false;
  }
}
