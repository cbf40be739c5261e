package io.auditstream.testing;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DestinationStore} in memory that records every change made to it and can be told to fail
 * its next writes, so a host can test what its Owners see when saving destinations goes wrong.
 * Thread-safe.
 */
public final class RecordingDestinationStore implements DestinationStore {
  /** One change the store was asked to make. */
  public enum Operation {
    SAVE,
    DELETE
  }

  /**
   * One recorded change.
   *
   * @param operation what was asked
   * @param destinationId of which destination
   * @param succeeded whether the store made it (false for an injected failure)
   */
  public record Change(Operation operation, DestinationId destinationId, boolean succeeded) {}

  private final InMemoryDestinationStore delegate = new InMemoryDestinationStore();
  private final List<Change> changes = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  /** Every change asked of the store so far, in order. */
  public List<Change> changes() {
    return List.copyOf(changes);
  }

  /** Makes the next {@code writes} saves or deletes fail with an {@link AuditStreamException}. */
  public RecordingDestinationStore failNextWrites(int writes) {
    failuresLeft.set(writes);
    return this;
  }

  @Override
  public List<Destination> findAll() {
    return delegate.findAll();
  }

  @Override
  public List<Destination> findByGroup(String groupPath) {
    return delegate.findByGroup(groupPath);
  }

  @Override
  public Optional<Destination> find(DestinationId id) {
    return delegate.find(id);
  }

  /**
   * Saves, unless a failure was injected.
   *
   * @throws AuditStreamException for an injected failure; nothing is saved then
   */
  @Override
  public void save(Destination destination) {
    failIfAsked(Operation.SAVE, destination.id());
    delegate.save(destination);
    changes.add(new Change(Operation.SAVE, destination.id(), true));
  }

  /**
   * Deletes, unless a failure was injected.
   *
   * @throws AuditStreamException for an injected failure; nothing is deleted then
   */
  @Override
  public boolean delete(DestinationId id) {
    failIfAsked(Operation.DELETE, id);
    boolean existed = delegate.delete(id);
    changes.add(new Change(Operation.DELETE, id, true));
    return existed;
  }

  private void failIfAsked(Operation operation, DestinationId id) {
    if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      changes.add(new Change(operation, id, false));
      throw new AuditStreamException("test store: injected failure of " + operation.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
