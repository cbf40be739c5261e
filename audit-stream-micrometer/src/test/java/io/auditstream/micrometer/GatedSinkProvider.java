package io.auditstream.micrometer;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.testing.RecordingDestinationConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sinks of the testing kit's kind {@code test} that hold every delivery until the test opens the gate (at
 * most 10 seconds), so that a test can move its clock while a delivery is in flight.
 */
final class GatedSinkProvider implements SinkProvider {
  /** Counted down when a delivery reached a sink and waits. */
  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch gate = new CountDownLatch(1);

  @Override
  public DestinationKind<?> destinationKind() {
    return RecordingDestinationConfig.DESTINATION_KIND;
  }

  @Override
  public Sink create(Destination destination, SinkContext context) {
    return batch -> {
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }
}
