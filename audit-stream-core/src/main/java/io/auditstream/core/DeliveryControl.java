package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.spi.DeadLetter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** What destination management needs from the delivery side. Implementations are thread-safe. */
interface DeliveryControl {
  /** The delivery health of a destination ({@link DestinationStatus#empty} if it saw nothing). */
  DestinationStatus status(DestinationId id);

  /**
   * Queues {@code event} for {@code destination} alone, bypassing routing and filters, and returns
   * at once.
   *
   * @return false when the queue had no room
   */
  boolean enqueueDirect(Destination destination, AuditEvent event);

  /** A destination was created or changed (any field, including active and filters) and saved. */
  void destinationSaved(Destination destination);

  /** A destination was deleted. */
  void destinationDeleted(Destination destination);

  /** A destination's dead letters, oldest first, at most {@code limit}. */
  List<DeadLetter> deadLetters(DestinationId id, int limit);

  /** Delivers again the destination's dead letters of these event ids; returns how many. */
  int redeliver(DestinationId id, Collection<String> eventIds);

  /** Delivers again the destination's dead letters given up on at or after {@code since}; returns how many. */
  int redeliverSince(DestinationId id, Instant since);
}
