package io.auditstream.benchmarks;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Namespace;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.testing.RecordingDestinationConfig;
import io.auditstream.core.AuditStreamer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

/**
 * The host-side cost of {@link AuditStreamer#stream}: for a group with destinations (the event is
 * queued for the dispatcher) and for a group without (the event is discarded at once). The target is
 * a few microseconds per call at most, independent of how slow destinations are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamBenchmark {
  private static final Actor OWNER = Actor.of("owner");

  private AuditStreamer streamer;
  private AuditEvent routed;
  private AuditEvent unrouted;
  private final LongAdder delivered = new LongAdder();

  /** A sink that only counts (standing in for the test kind), so the benchmark measures the engine, not I/O. */
  private final class CountingProvider implements SinkProvider {
    @Override
    public DestinationKind<?> destinationKind() {
      return RecordingDestinationConfig.DESTINATION_KIND;
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return new Sink() {
        @Override
        public void deliver(List<EncodedEvent> batch) {
          delivered.add(batch.size());
        }

        @Override
        public int maxBatchSize() {
          return 100;
        }
      };
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(OWNER))
        .sinkProviders(List.of(new CountingProvider()))
        .queueCapacity(100_000)
        .build();
    streamer.destinations().create(OWNER, "acme",
        DestinationDraft.builder(RecordingDestinationConfig.of()).build());
    routed = AuditEvent.builder().eventType("project_created").author(1L, "Alice")
        .entity(EntityType.PROJECT, 7L, "acme/platform/api").ipAddress("203.0.113.7")
        .customMessage("Created project api").build();
    unrouted = routed.toBuilder().entityPath("no-streaming/api").namespace(Namespace.project("no-streaming/api")).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    streamer.flush(Duration.ofSeconds(30));
    streamer.close();
  }

  /** An event of a group that streams: queued for routing and delivery. */
  @Benchmark
  public boolean streamToGroupWithDestination() {
    return streamer.stream(routed);
  }

  /**
   * Delivery throughput: 1,000 events streamed and flushed through routing, encoding and the
   * dispatcher to a sink that does no I/O. Reported per event.
   */
  @Benchmark
  @OperationsPerInvocation(1_000)
  public boolean streamAndDeliverThousandEvents() {
    for (int i = 0; i < 1_000; i++) {
      streamer.stream(routed);
    }
    return streamer.flush(Duration.ofSeconds(30));
  }

  /** An event of a group without destinations: discarded on the spot. */
  @Benchmark
  public boolean streamToGroupWithoutDestinations() {
    return streamer.stream(unrouted);
  }
}
