package io.auditstream.benchmarks;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.RecordingDestinationConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing as the number of destinations grows: 1, 100 and 10,000 destinations, the event's own group
 * ({@code acme}) always holding exactly one and the others spread five to a group. The figure is the
 * whole engine per event (stream, route, encode once, deliver to a sink that only counts), so that it
 * should not move with {@code destinations}: routing may only depend on the event's own group.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {
  private static final int EVENTS = 500;
  private static final int PER_OTHER_GROUP = 5;
  private static final Actor OWNER = Actor.of("owner");

  @Param({"1", "100", "10000"})
  public int destinations;

  private AuditStreamer streamer;
  private AuditEvent[] events;

  @Setup
  public void setUp() {
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(OWNER))
        .sinkProviders(List.of(new CountingSinkProvider()))
        .maxDestinationsPerKind(PER_OTHER_GROUP)
        .build();
    streamer.destinations().create(OWNER, "acme", DestinationDraft.builder(RecordingDestinationConfig.of()).build());
    for (int i = 1; i < destinations; i++) {
      String group = "group-" + (i / PER_OTHER_GROUP);
      streamer.destinations().create(OWNER, group,
          DestinationDraft.builder(RecordingDestinationConfig.of()).name("destination-" + i).build());
    }
    events = new AuditEvent[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = TypicalEvent.create("acme", TypicalEvent.nowMicros());
    }
  }

  @TearDown
  public void tearDown() {
    streamer.close();
  }

  /** Per event: streamed, routed, encoded and delivered; the flush that waits for the last is timed too. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public boolean routeAndDeliver() {
    for (AuditEvent event : events) {
      while (!streamer.stream(event)) {
        Thread.onSpinWait();
      }
    }
    return streamer.flush(Duration.ofSeconds(30));
  }
}
