package io.auditstream.core;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The host's store as this streamer reads it: every destination read passes through {@code
 * resolve}, which marks those whose kind has no sink here as unavailable (and decodes those whose
 * kind has one now) without changing their stored form, including what a {@link #changeGroup} reads.
 * Writes go straight through, and so do {@link #changeCount} and the store's atomicity of {@link
 * #changeGroup}. Thread-safe when the store is.
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
  public OptionalLong changeCount() {
    return store.changeCount();
  }

  @Override
  public <T> T changeGroup(String groupPath, Function<GroupChange, T> change) {
    return store.changeGroup(groupPath, stored -> change.apply(new GroupChange() {
      @Override
      public List<Destination> destinations() {
        return stored.destinations().stream().map(resolve).toList();
      }

      @Override
      public Optional<Destination> find(DestinationId id) {
        return stored.find(id).map(resolve);
      }

      @Override
      public void save(Destination destination) {
        stored.save(destination);
      }

      @Override
      public boolean delete(DestinationId id) {
        return stored.delete(id);
      }
    }));
  }

  @Override
  public void close() {
    store.close();
  }
}
