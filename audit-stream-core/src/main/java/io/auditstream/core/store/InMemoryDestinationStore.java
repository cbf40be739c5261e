package io.auditstream.core.store;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DestinationStore} in memory: for tests, and for hosts that configure destinations at
 * start-up. Everything is lost when the host stops. Thread-safe.
 */
public final class InMemoryDestinationStore implements DestinationStore {
  private final ConcurrentHashMap<DestinationId, Destination> byId = new ConcurrentHashMap<>();

  @Override
  public List<Destination> findAll() {
    return DestinationOrder.all(byId.values());
  }

  @Override
  public List<Destination> findByGroup(String groupPath) {
    return DestinationOrder.ofGroup(byId.values(), groupPath);
  }

  @Override
  public Optional<Destination> find(DestinationId id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public void save(Destination destination) {
    if (destination.isRedacted()) {
      throw new IllegalArgumentException("destination " + destination.id()
          + " is a redacted copy, without its verification token: it cannot be saved");
    }
    byId.put(destination.id(), destination);
  }

  @Override
  public boolean delete(DestinationId id) {
    return byId.remove(id) != null;
  }
}
