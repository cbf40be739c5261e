package io.auditstream.api.spi;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import java.util.List;
import java.util.Optional;

/**
 * Where destinations are kept. The engine validates every destination before saving it and
 * serialises the changes of one group, so a store only stores.
 *
 * <p>Implementations must be thread-safe. They keep secrets (verification tokens, keys) as they
 * are given: protect the storage accordingly.
 */
public interface DestinationStore extends AutoCloseable {
  /** Every destination of every group. */
  List<Destination> findAll();

  /** The destinations of one top-level group, oldest first. */
  List<Destination> findByGroup(String groupPath);

  /** The destination with {@code id}, or empty when there is none. */
  Optional<Destination> find(DestinationId id);

  /** Inserts or replaces (by id). Durable when it returns, for stores that persist. */
  void save(Destination destination);

  /** Deletes; returns whether it existed. */
  boolean delete(DestinationId id);

  @Override
  default void close() {}
}
