package io.auditstream.core.store;

import io.auditstream.api.destination.Destination;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The order and the group query that every store here answers with: oldest first. */
final class DestinationOrder {
  static final Comparator<Destination> OLDEST_FIRST =
      Comparator.comparing(Destination::createdAt).thenComparing(d -> d.id().value());

  private DestinationOrder() {}

  static List<Destination> all(Collection<Destination> destinations) {
    return destinations.stream().sorted(OLDEST_FIRST).toList();
  }

  static List<Destination> ofGroup(Collection<Destination> destinations, String groupPath) {
    return destinations.stream().filter(d -> d.groupPath().equals(groupPath)).sorted(OLDEST_FIRST).toList();
  }
}
