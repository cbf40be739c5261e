package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;

/** Told by destination management after each change it has saved to the store. */
public interface DestinationChangeListener {
  /** A destination was created or changed (any field, including active and filters). */
  void destinationSaved(Destination destination);

  /** A destination was deleted. */
  void destinationDeleted(Destination destination);
}
