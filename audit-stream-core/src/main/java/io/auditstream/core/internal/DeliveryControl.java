package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;

/** What destination management needs from the delivery side. Thread-safe. */
public interface DeliveryControl extends DestinationChangeListener {
  /** The delivery health of a destination ({@link DestinationStatus#empty} if it saw nothing). */
  DestinationStatus status(DestinationId id);

  /**
   * Queues {@code event} for {@code destination} alone, bypassing routing and filters, and returns
   * at once.
   *
   * @return false when the queue had no room
   */
  boolean enqueueDirect(Destination destination, AuditEvent event);
}
