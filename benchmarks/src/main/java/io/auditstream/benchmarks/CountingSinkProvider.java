package io.auditstream.benchmarks;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.testing.RecordingDestinationConfig;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sinks of the test kind that only count, so that the JMH benchmarks measure the engine, not I/O.
 * Thread-safe.
 */
final class CountingSinkProvider implements SinkProvider {
  private final LongAdder delivered = new LongAdder();

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
        return 1;
      }
    };
  }

  long delivered() {
    return delivered.sum();
  }
}
