package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.core.internal.DeliveryEngine;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The {@link DeliveryControl} that destination management uses: the streamer's {@link
 * DeliveryEngine}, seen through the operations it needs. Thread-safe, as the engine is.
 */
final class EngineDeliveryControl implements DeliveryControl {
  private final DeliveryEngine engine;

  EngineDeliveryControl(DeliveryEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  public DestinationStatus status(DestinationId id) {
    return engine.status(id);
  }

  @Override
  public boolean enqueueDirect(Destination destination, AuditEvent event) {
    return engine.enqueueDirect(destination, event);
  }

  @Override
  public void destinationSaved(Destination destination) {
    engine.destinationSaved(destination);
  }

  @Override
  public void destinationDeleted(Destination destination) {
    engine.destinationDeleted(destination);
  }

  @Override
  public List<DeadLetter> deadLetters(DestinationId id, int limit) {
    return engine.deadLetters(id, limit);
  }

  @Override
  public int redeliver(DestinationId id, Collection<String> eventIds) {
    return engine.redeliver(id, eventIds);
  }

  @Override
  public int redeliverSince(DestinationId id, Instant since) {
    return engine.redeliverSince(id, since);
  }
}
