package io.auditstream.api.spi;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Where destinations are kept. The engine validates every destination before saving it and makes
 * each change of a group's destinations through {@link #changeGroup}, so a store only stores, and,
 * when several processes share it, makes a group's changes atomic across them.
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

  /**
   * Inserts or replaces (by id). Durable when it returns, for stores that persist. The library saves
   * only whole destinations; a {@linkplain Destination#redacted() redacted} copy, which has no
   * verification token, should be refused with {@link IllegalArgumentException}.
   */
  void save(Destination destination);

  /** Deletes; returns whether it existed. */
  boolean delete(DestinationId id);

  /**
   * A number that changes whenever a destination is saved or deleted through any process that shares
   * the store, committed with the change; the engine polls it (about once a second) and reads the
   * destinations again when it moved, so that a change made through another process is in effect here
   * too. Empty, the default, for a store that only this process changes: the engine then learns every
   * change from its own calls.
   */
  default OptionalLong changeCount() {
    return OptionalLong.empty();
  }

  /**
   * Runs {@code change} as one change of the group's destinations: what it reads through the {@link
   * GroupChange} is what is stored, and no other change of the group's destinations, through this
   * process or another that shares the store, comes between its reads and its writes. When it throws,
   * nothing it wrote is kept. The engine checks its rules (unique names, the limit per kind) inside it,
   * so that they hold across processes.
   *
   * <p>The default reads and writes through this store's own methods, one by one: enough for a store
   * that one process alone changes, where the engine serialises a group's changes itself. A store that
   * several processes share overrides it (a database transaction that holds the group's lock).
   *
   * @param groupPath the top-level group whose destinations change
   * @return what {@code change} returned
   */
  default <T> T changeGroup(String groupPath, Function<GroupChange, T> change) {
    return change.apply(new GroupChange() {
      @Override
      public List<Destination> destinations() {
        return findByGroup(groupPath);
      }

      @Override
      public Optional<Destination> find(DestinationId id) {
        return DestinationStore.this.find(id);
      }

      @Override
      public void save(Destination destination) {
        DestinationStore.this.save(destination);
      }

      @Override
      public boolean delete(DestinationId id) {
        return DestinationStore.this.delete(id);
      }
    });
  }

  /**
   * The reads and writes of one {@link #changeGroup} call; valid only during it, on the thread that
   * runs it.
   */
  interface GroupChange {
    /** The group's destinations as stored now, oldest first. */
    List<Destination> destinations();

    /** The destination with {@code id} as stored now (of any group), or empty. */
    Optional<Destination> find(DestinationId id);

    /** Inserts or replaces (by id), as part of the change. */
    void save(Destination destination);

    /** Deletes, as part of the change; returns whether it existed. */
    boolean delete(DestinationId id);
  }

  @Override
  default void close() {}
}
