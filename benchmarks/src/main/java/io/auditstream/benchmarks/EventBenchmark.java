package io.auditstream.benchmarks;

import io.auditstream.api.AuditEvent;
import io.auditstream.core.AuditEventJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host's other costs around {@code stream()}: building the typical event ({@link AuditEvent.Builder#build()},
 * which draws a fresh id) and the engine's one encoding of it ({@link AuditEventJson#encode}), both
 * reported apart from {@code stream()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventBenchmark {
  private AuditEvent.Builder builder;
  private AuditEvent event;

  @Setup
  public void setUp() {
    builder = TypicalEvent.builder("acme").detail(TypicalEvent.EMITTED_AT_FIELD, TypicalEvent.nowMicros());
    event = builder.build();
  }

  /** {@code build()} of the typical event, its fields already set. */
  @Benchmark
  public AuditEvent build() {
    return builder.build();
  }

  /** The typical event encoded to its ~600 bytes of JSON. */
  @Benchmark
  public byte[] encode() {
    return AuditEventJson.encode(event);
  }
}
