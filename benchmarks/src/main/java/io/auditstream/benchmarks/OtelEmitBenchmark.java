package io.auditstream.benchmarks;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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
 * The peer figure for a non-blocking emit: OpenTelemetry Java's {@link BatchLogRecordProcessor#onEmit}
 * with an exporter that does nothing, called with records made before each invocation (outside the
 * timing), a different one each call, as {@link StreamBenchmark} streams events built before each
 * invocation (so the figure is the processor's hand-off alone, like {@code stream()} of a built event), and
 * the logs SDK's whole emit through a logger (record built and handed to the same processor), like {@code
 * build()} plus {@code stream()}.
 *
 * <p>Timed in invocations of {@value StreamBenchmark#BATCH} with a flush between them, exactly as {@link
 * StreamBenchmark}, so that neither is timed on a full queue (the processor would drop records).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OtelEmitBenchmark {
  private static final int BATCH = StreamBenchmark.BATCH;
  private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("event_type");

  private BatchLogRecordProcessor processor;
  private SdkLoggerProvider provider;
  private Logger logger;
  private ReadWriteLogRecord[] records = new ReadWriteLogRecord[BATCH];
  private String body;
  private CallerAllocation allocation;
  // Makes the records: a provider whose processor keeps what is emitted through it.
  private final Capture capture = new Capture();
  private SdkLoggerProvider capturing;

  /** Drops what it is given at once. */
  private static final class NoopExporter implements LogRecordExporter {
    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Keeps the records emitted through it. */
  private static final class Capture implements LogRecordProcessor {
    private final java.util.List<ReadWriteLogRecord> records = new java.util.ArrayList<>();

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
      records.add(logRecord);
    }
  }

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    allocation = new CallerAllocation(params.getBenchmark());
    body = new String(TypicalEvent.encoded("acme"), StandardCharsets.UTF_8);
    capturing = SdkLoggerProvider.builder().addLogRecordProcessor(capture).build();
    processor = BatchLogRecordProcessor.builder(new NoopExporter()).build();
    provider = SdkLoggerProvider.builder()
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(new NoopExporter()).build()).build();
    logger = provider.get("audit");
  }

  @Setup(Level.Invocation)
  public void emptyQueue() {
    processor.forceFlush().join(30, TimeUnit.SECONDS);
    provider.forceFlush().join(30, TimeUnit.SECONDS);
    capture.records.clear();
    for (int i = 0; i < BATCH; i++) {
      capturing.get("audit").logRecordBuilder().setSeverity(Severity.INFO).setBody(body)
          .setAttribute(EVENT_TYPE, "project_created").emit();
    }
    records = capture.records.toArray(records);
    allocation.start();
  }

  @TearDown(Level.Invocation)
  public void countAllocation() {
    allocation.stop(BATCH);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    allocation.report();
    capturing.close();
    processor.shutdown().join(30, TimeUnit.SECONDS);
    provider.shutdown().join(30, TimeUnit.SECONDS);
  }

  /** {@code BatchLogRecordProcessor.onEmit} of records made before the invocation, a different one each call. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void onEmit() {
    for (int i = 0; i < BATCH; i++) {
      processor.onEmit(Context.root(), records[i]);
    }
  }

  /** The logs SDK's emit: a record built from the event's JSON and type, handed to the batch processor. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void loggerEmit(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      logger.logRecordBuilder().setSeverity(Severity.INFO).setBody(body).setAttribute(EVENT_TYPE, "project_created").emit();
    }
    bh.consume(logger);
  }
}
