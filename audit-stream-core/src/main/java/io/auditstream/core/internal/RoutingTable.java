package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The destinations of each top-level group, as the router and the host's thread read them.
 *
 * <p>Reads are lock-free: they see an immutable snapshot that each change replaces. Changes are rare
 * (an Owner edits a destination), so rebuilding the snapshot on each one costs nothing that matters
 * and keeps {@link #mayHaveActiveDestination} a single look-up of an {@code int} on the host's thread.
 * Thread-safe.
 */
final class RoutingTable {
  private record Snapshot(Map<String, List<Destination>> byGroup, GroupHashes activeGroups) {}

  private final Object lock = new Object();
  // guarded by lock
  private final Map<DestinationId, Destination> byId = new LinkedHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), GroupHashes.of(Set.of()));

  /** Replaces the whole table. */
  void load(Collection<Destination> destinations) {
    synchronized (lock) {
      byId.clear();
      destinations.forEach(d -> byId.put(d.id(), d));
      rebuild();
    }
  }

  /** Adds or replaces one destination. */
  void put(Destination destination) {
    synchronized (lock) {
      byId.put(destination.id(), destination);
      rebuild();
    }
  }

  /** Forgets one destination. */
  void remove(DestinationId id) {
    synchronized (lock) {
      if (byId.remove(id) != null) {
        rebuild();
      }
    }
  }

  /** Every destination of the table, by id: a copy. */
  Map<DestinationId, Destination> byId() {
    synchronized (lock) {
      return Map.copyOf(byId);
    }
  }

  /**
   * Whether a group whose path has hash {@code groupPathHash} ({@link String#hashCode()}) may have an active
   * destination: false means it has none; true, that it has, or that its hash is that of a group that has
   * (rare: the router, which looks at the path itself, then finds nothing to route the event to). Reads no
   * group path, so the host's thread touches one string of an event, not its characters. Lock-free.
   */
  boolean mayHaveActiveDestination(int groupPathHash) {
    return snapshot.activeGroups().mayContain(groupPathHash);
  }

  /** The destinations of a top-level group, active or not, oldest first. Lock-free. */
  List<Destination> destinationsOf(String groupPath) {
    return snapshot.byGroup().getOrDefault(groupPath, List.of());
  }

  private void rebuild() {
    Map<String, List<Destination>> groups = new HashMap<>();
    Set<String> active = new HashSet<>();
    for (Destination d : byId.values()) {
      groups.computeIfAbsent(d.groupPath(), g -> new ArrayList<>()).add(d);
      if (d.active()) {
        active.add(d.groupPath());
      }
    }
    Map<String, List<Destination>> frozen = new HashMap<>();
    groups.forEach((g, list) -> {
      list.sort(Comparator.comparing(Destination::createdAt).thenComparing(d -> d.id().value()));
      frozen.put(g, List.copyOf(list));
    });
    snapshot = new Snapshot(Map.copyOf(frozen), GroupHashes.of(active));
  }
}
