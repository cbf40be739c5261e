package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's destinations ({@link DeliveryLanes}) in step with the store: the changes made
 * through this process, as {@link DeliveryEngine#destinationSaved} and {@link
 * DeliveryEngine#destinationDeleted} tell them, and, with a store that other processes share ({@link
 * DestinationStore#changeCount()} present), theirs, which {@link #poll} finds: when the change count
 * moved, it reads every destination and brings the lanes up to date ({@link DeliveryLanes#refresh}).
 * Internal; may change without notice.
 *
 * <p>A read and the changes told meanwhile may cross: a destination this process changed after the read
 * began may be older in what was read than in the engine. The poll leaves such destinations as they are:
 * the change told is at least as new as what was committed before it, and a later change through another
 * process moves the count again, so the next poll reads it.
 *
 * <p>A poll that fails (the store cannot be read) is logged by the classes of its errors alone (a store's
 * message may quote what it holds, secrets included), and the next one
 * tries again; it never throws. Thread-safe: {@link #saved} and {@link #deleted} from any thread; {@link
 * #poll} from one thread at a time.
 */
final class DestinationRefresh {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final DestinationStore store;
  private final DeliveryLanes lanes;
  private final DropCounter failures = new DropCounter();
  private final Object lock = new Object();
  // guarded by lock
  private Set<DestinationId> changedDuringRead;
  // only used by the polling thread
  private OptionalLong seenCount = OptionalLong.empty();

  DestinationRefresh(DestinationStore store, DeliveryLanes lanes) {
    this.store = store;
    this.lanes = lanes;
  }

  /** The change count read before the destinations the engine started with; polls look for a newer one. */
  void started(OptionalLong count) {
    seenCount = count;
  }

  /** As {@link DeliveryEngine#destinationSaved}, for a change made through this process. */
  void saved(Destination destination) {
    synchronized (lock) {
      noteChanged(destination.id());
      lanes.saved(destination);
    }
  }

  /** As {@link DeliveryEngine#destinationDeleted}, for a change made through this process. */
  void deleted(Destination destination) {
    synchronized (lock) {
      noteChanged(destination.id());
      lanes.deleted(destination);
    }
  }

  /**
   * Looks at the store's change count and, when it moved, reads every destination and applies what other
   * processes changed. Never throws.
   */
  void poll() {
    try {
      OptionalLong count = store.changeCount();
      if (count.isEmpty() || count.equals(seenCount)) {
        return;
      }
      synchronized (lock) {
        changedDuringRead = new HashSet<>();
      }
      List<Destination> stored = null;
      try {
        stored = store.findAll();
      } finally {
        synchronized (lock) {
          // Applied under the lock, so that no change told here lands between the comparison and the update.
          Set<DestinationId> skip = changedDuringRead;
          changedDuringRead = null;
          if (stored != null) {
            int changed = lanes.refresh(stored, skip);
            log.debug("Destinations read again (change count {}): {} changed through other processes", count.getAsLong(),
                changed);
          }
        }
      }
      seenCount = count;
    } catch (RuntimeException e) {
      if (failures.drop()) {
        log.warn("Could not read the destinations other processes changed; trying again ({} failures so far): {}",
            failures.count(), ErrorChain.classes(e));
      }
    }
  }

  private void noteChanged(DestinationId id) {
    if (changedDuringRead != null) {
      changedDuringRead.add(id);
    }
  }
}
