package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the host's {@link DeliveryObserver} on the engine's threads, so that an observer that throws never
 * stops a lane: the failure is logged at WARN (the first, then at most once per {@link
 * DropCounter#WARN_INTERVAL}, with the count) and ignored. With {@link DeliveryObserver#NONE} it does
 * nothing at all, so that a host without metrics pays nothing on the delivery path. Internal; may change
 * without notice. Thread-safe.
 */
final class ObserverNotifier {
  private static final Logger log = LoggerFactory.getLogger(ObserverNotifier.class);

  private final DeliveryObserver observer;
  private final boolean none;
  private final DropCounter failures = new DropCounter();

  ObserverNotifier(DeliveryObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.none = observer == DeliveryObserver.NONE;
  }

  /** {@code deliveries} reach the observer read-only: the engine goes on using the list. */
  void delivered(Destination destination, List<QueuedDelivery> deliveries, Instant at) {
    if (none) {
      return;
    }
    try {
      observer.delivered(destination, Collections.unmodifiableList(deliveries), at);
    } catch (RuntimeException e) {
      failed("delivered", destination, e);
    }
  }

  void attemptFailed(Destination destination, int deliveries, boolean retried) {
    if (none) {
      return;
    }
    try {
      observer.attemptFailed(destination, deliveries, retried);
    } catch (RuntimeException e) {
      failed("attemptFailed", destination, e);
    }
  }

  void deadLettered(Destination destination, int deliveries) {
    if (none) {
      return;
    }
    try {
      observer.deadLettered(destination, deliveries);
    } catch (RuntimeException e) {
      failed("deadLettered", destination, e);
    }
  }

  private void failed(String method, Destination destination, RuntimeException e) {
    if (failures.drop()) {
      log.warn("Delivery observer {} failed for destination {} and was ignored ({} failures so far)", method,
          destination.id(), failures.count(), e);
    }
  }
}
