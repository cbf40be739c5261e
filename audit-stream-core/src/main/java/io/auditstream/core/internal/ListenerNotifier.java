package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the host's {@link DeliveryListener} on the engine's threads, so that a listener that throws
 * never stops a lane or the router: the failure is logged at WARN (the first, then at most once per
 * {@link DropCounter#WARN_INTERVAL}, with the count) and ignored. Thread-safe.
 */
final class ListenerNotifier {
  private static final Logger log = LoggerFactory.getLogger(ListenerNotifier.class);

  private final DeliveryListener listener;
  private final DropCounter failures = new DropCounter();

  ListenerNotifier(DeliveryListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  void deadLetter(DeadLetter deadLetter) {
    try {
      listener.onDeadLetter(deadLetter);
    } catch (RuntimeException e) {
      failed("onDeadLetter", "event " + deadLetter.eventId(), e);
    }
  }

  void dropped(DestinationId destination, String eventId, String reason) {
    try {
      listener.onDropped(destination, eventId, reason);
    } catch (RuntimeException e) {
      failed("onDropped", "event " + eventId, e);
    }
  }

  void paused(DestinationId destination, String reason) {
    try {
      listener.onPaused(destination, reason);
    } catch (RuntimeException e) {
      failed("onPaused", "destination " + destination, e);
    }
  }

  private void failed(String method, String subject, RuntimeException e) {
    if (failures.drop()) {
      log.warn("Delivery listener {} failed for {} and was ignored ({} failures so far)", method, subject,
          failures.count(), e);
    }
  }
}
