package io.auditstream.core.internal;

import io.auditstream.api.destination.DestinationId;

/**
 * How the {@link DeliveryEngine} pauses a destination that kept failing: the engine decides, destination
 * management saves. Internal; may change without notice: {@code io.auditstream.core} implements it, so
 * that an automatic pause is saved to the destination store as an Owner's pause is (under the group's
 * lock, then told to the engine through {@link DeliveryEngine#destinationSaved}), survives a restart and
 * is seen by every instance that shares the store.
 *
 * <p>Called on a delivery thread, never while the engine holds a lock. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface DestinationPauser {
  /** Pauses nothing: for an engine that never pauses on its own. */
  DestinationPauser NONE = (id, reason) -> false;

  /**
   * Pauses the destination {@code id} with {@code reason}, unless it is paused already or no longer
   * exists; saves it and tells the engine before it returns.
   *
   * @return true when this call paused it
   * @throws RuntimeException when it could not be saved (the store failed): nothing changed, and the
   *     engine tries again after the destination's next failed attempt
   */
  boolean pause(DestinationId id, String reason);
}
