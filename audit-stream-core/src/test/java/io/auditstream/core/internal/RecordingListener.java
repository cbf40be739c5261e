package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every dead letter, drop and automatic pause it hears of, then throws {@link #failWith} when a
 * test set it. Thread-safe.
 */
final class RecordingListener implements DeliveryListener {
  /** One drop as the listener heard it. */
  record Drop(DestinationId destination, String eventId, String reason) {}

  final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  final List<Drop> drops = new CopyOnWriteArrayList<>();
  /** Every automatic pause heard of, as {@code "<destination>: <reason>"}. */
  final List<String> pauses = new CopyOnWriteArrayList<>();
  volatile RuntimeException failWith;

  @Override
  public void onDeadLetter(DeadLetter deadLetter) {
    deadLetters.add(deadLetter);
    throwIfAsked();
  }

  @Override
  public void onDropped(DestinationId destination, String eventId, String reason) {
    drops.add(new Drop(destination, eventId, reason));
    throwIfAsked();
  }

  @Override
  public void onPaused(DestinationId destination, String reason) {
    pauses.add(destination + ": " + reason);
    throwIfAsked();
  }

  private void throwIfAsked() {
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
  }

  List<Drop> dropsFor(DestinationId id) {
    return drops.stream().filter(d -> d.destination().equals(id)).toList();
  }
}
