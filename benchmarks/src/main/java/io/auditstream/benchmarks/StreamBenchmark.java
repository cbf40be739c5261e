package io.auditstream.benchmarks;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.RecordingDestinationConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@link AuditStreamer#stream} costs the host's thread, for an event of a group with one
 * destination (queued for the router) and of a group without (discarded at once).
 *
 * <p>Why invocations of {@value #BATCH} calls with a flush between them: a stream of back-to-back calls
 * outruns the router within milliseconds, after which {@code stream()} only refuses (a full queue), and a
 * benchmark would time the refusal path. Each invocation therefore starts on an empty queue, as a host
 * that streams fewer events than the engine delivers always does; the flush is outside the timing. The
 * engine's threads still run beside the caller during the timed calls, as they would in a host.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamBenchmark {
  /** Calls per timed invocation; well below the default ingress bound, so none is refused. */
  static final int BATCH = 200;
  private static final Actor OWNER = Actor.of("owner");

  private AuditStreamer streamer;
  private AuditEvent[] routed;
  private AuditEvent unrouted;
  private CallerAllocation allocation;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    allocation = new CallerAllocation(params.getBenchmark());
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(OWNER))
        .sinkProviders(List.of(new CountingSinkProvider()))
        .build();
    streamer.destinations().create(OWNER, "acme", DestinationDraft.builder(RecordingDestinationConfig.of()).build());
    routed = new AuditEvent[BATCH];
    unrouted = TypicalEvent.builder("no-streaming").namespace(Namespace.project("no-streaming/platform/api")).build();
  }

  @Setup(Level.Invocation)
  public void emptyQueue() {
    if (!streamer.flush(Duration.ofSeconds(30))) {
      throw new IllegalStateException("flush did not finish within 30 s");
    }
    // Distinct events, built outside the timing (the benchmark times stream(), not build()), and built anew
    // for each invocation after the flush: a host streams the event it has just built, which is still in
    // its core's cache. Events kept from one invocation to the next were read by the router on the other
    // core meanwhile, so stream() was timed on cache misses that a host does not pay.
    for (int i = 0; i < BATCH; i++) {
      routed[i] = TypicalEvent.create("acme", TypicalEvent.nowMicros());
    }
    allocation.start();
  }

  @TearDown(Level.Invocation)
  public void countAllocation() {
    allocation.stop(BATCH);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    allocation.report();
    streamer.flush(Duration.ofSeconds(30));
    streamer.close();
  }

  /** The host's call for an event of a group that streams: queued for routing and delivery. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void stream(Blackhole bh) {
    for (AuditEvent event : routed) {
      boolean accepted = streamer.stream(event);
      if (!accepted) {
        allocation.refused();
      }
      bh.consume(accepted);
    }
  }

  /** An event of a group without destinations: discarded on the spot. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void streamToGroupWithoutDestinations(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      bh.consume(streamer.stream(unrouted));
    }
  }
}
