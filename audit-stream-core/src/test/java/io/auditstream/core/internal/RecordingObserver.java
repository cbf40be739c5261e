package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every outcome it is told, in order, then throws {@link #failWith} when a test set it.
 * Thread-safe.
 */
final class RecordingObserver implements DeliveryObserver {
  /** One call, as the observer heard it. */
  sealed interface Call permits Delivered, AttemptFailed, DeadLettered {
    DestinationId destination();
  }

  /** {@code delivered}: the event ids, and how long each waited since it was accepted. */
  record Delivered(DestinationId destination, List<String> eventIds, List<Duration> latencies) implements Call {}

  /** {@code attemptFailed}, with its arguments. */
  record AttemptFailed(DestinationId destination, int deliveries, boolean retried) implements Call {}

  /** {@code deadLettered}, with its arguments. */
  record DeadLettered(DestinationId destination, int deliveries) implements Call {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile RuntimeException failWith;

  @Override
  public void delivered(Destination destination, List<QueuedDelivery> deliveries, Instant at) {
    calls.add(new Delivered(destination.id(), deliveries.stream().map(QueuedDelivery::eventId).toList(),
        deliveries.stream().map(q -> Duration.between(q.enqueuedAt(), at)).toList()));
    throwIfAsked();
  }

  @Override
  public void attemptFailed(Destination destination, int deliveries, boolean retried) {
    calls.add(new AttemptFailed(destination.id(), deliveries, retried));
    throwIfAsked();
  }

  @Override
  public void deadLettered(Destination destination, int deliveries) {
    calls.add(new DeadLettered(destination.id(), deliveries));
    throwIfAsked();
  }

  private void throwIfAsked() {
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
  }

  /** How many deliveries the {@code delivered} calls carried in all. */
  int deliveredCount() {
    return calls.stream().filter(Delivered.class::isInstance).mapToInt(c -> ((Delivered) c).eventIds().size()).sum();
  }
}
