package io.auditstream.core;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The host's store as this streamer reads it: every destination read passes through {@code
 * resolve}, which marks those whose kind has no sink here as unavailable (and decodes those whose
 * kind has one now) without changing their stored form. Writes go straight through. Thread-safe
 * when the store is.
 */
final class ResolvingDestinationStore implements DestinationStore {
  private final DestinationStore store;
  private final UnaryOperator<Destination> resolve;

  ResolvingDestinationStore(DestinationStore store, UnaryOperator<Destination> resolve) {
    this.store = store;
    this.resolve = resolve;
  }

  @Override
  public List<Destination> findAll() {
    return store.findAll().stream().map(resolve).toList();
  }

  @Override
  public List<Destination> findByGroup(String groupPath) {
    return store.findByGroup(groupPath).stream().map(resolve).toList();
  }

  @Override
  public Optional<Destination> find(DestinationId id) {
    return store.find(id).map(resolve);
  }

  @Override
  public void save(Destination destination) {
    store.save(destination);
  }

  @Override
  public boolean delete(DestinationId id) {
    return store.delete(id);
  }

  @Override
  public void close() {
    store.close();
  }
}
