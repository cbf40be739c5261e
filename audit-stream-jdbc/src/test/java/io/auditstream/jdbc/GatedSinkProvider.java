package io.auditstream.jdbc;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.testing.RecordingSinkProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink provider of the recording kind whose sinks hold each attempt until the test opens the gate,
 * then record it as the {@link RecordingSinkProvider} it wraps: so that a test knows a delivery is in
 * flight, and chooses when it ends. Counts every event received, per id, duplicates included. A held
 * attempt that is interrupted (the streamer closing) fails as retryable; one held longer than a minute
 * fails too, so that nothing waits without a bound. Thread-safe.
 */
final class GatedSinkProvider implements SinkProvider {
  private final RecordingSinkProvider recording = RecordingSinkProvider.create();
  private final ConcurrentHashMap<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(1);
  private volatile CountDownLatch entered = new CountDownLatch(1);

  @Override
  public DestinationKind<?> destinationKind() {
    return recording.destinationKind();
  }

  @Override
  public Sink create(Destination destination, SinkContext context) {
    Sink recorder = recording.create(destination, context);
    return new Sink() {
      @Override
      public void deliver(List<EncodedEvent> batch) throws DeliveryException {
        attempts.incrementAndGet();
        entered.countDown();
        try {
          if (!gate.await(1, TimeUnit.MINUTES)) {
            throw DeliveryException.retryable("test sink: held for a minute");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw DeliveryException.retryable("test sink: interrupted while held", e);
        }
        recorder.deliver(batch);
        for (EncodedEvent e : batch) {
          received.computeIfAbsent(e.event().id(), k -> new AtomicInteger()).incrementAndGet();
        }
      }

      @Override
      public void close() {
        recorder.close();
      }
    };
  }

  /** Lets every attempt through, now and from now on. */
  void open() {
    gate.countDown();
  }

  /** Holds attempts again from now on. */
  void close() {
    entered = new CountDownLatch(1);
    gate = new CountDownLatch(1);
  }

  /** Whether an attempt reached the sink since the gate was last closed. */
  boolean attemptHeld() {
    return entered.getCount() == 0;
  }

  /** How many attempts reached the sink. */
  int attempts() {
    return attempts.get();
  }

  /** The ids received, each with how many times. */
  Map<String, Integer> received() {
    Map<String, Integer> copy = new HashMap<>();
    received.forEach((id, n) -> copy.put(id, n.get()));
    return copy;
  }
}
