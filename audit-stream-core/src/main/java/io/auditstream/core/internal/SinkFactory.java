package io.auditstream.core.internal;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.Sink;

/**
 * Makes the sink of a destination, for the {@link DeliveryEngine}. Internal; may change without
 * notice.
 *
 * <p>The engine calls it lazily, on one of its bounded pool of delivery threads (so it must not wait on
 * the network), when it first needs a sink and again after the destination's settings changed; it closes
 * the sinks it no longer uses.
 * Implementations must be thread-safe: several destinations' threads may call it at once.
 */
@FunctionalInterface
public interface SinkFactory {
  /**
   * A new sink for {@code destination}'s current settings.
   *
   * @throws MissingSinkException when no provider serves the destination's kind; its message says
   *     which artifact to add. The engine then fails the destination's deliveries and logs the
   *     message once.
   * @throws RuntimeException when the sink cannot be made for another reason; the engine counts it
   *     as a failed attempt and retries
   */
  Sink create(Destination destination);
}
