package io.auditstream.core;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationHealthView;
import io.auditstream.api.spi.DestinationStore;
import java.util.Comparator;
import java.util.List;

/**
 * Internal: what {@link AuditStreamer#health()} shows the host's operators: every destination of every
 * group, as the destination store holds it, with its delivery health from the delivery side. No Owner
 * check: the host decides who may see it. Thread-safe; reads the store once per call.
 */
final class HealthOverview {
  /** By group, then oldest first, as listings show a group's destinations. */
  private static final Comparator<Destination> ORDER = Comparator.comparing(Destination::groupPath)
      .thenComparing(Destination::createdAt).thenComparing(d -> d.id().value());

  private final DestinationStore store;
  private final DeliveryControl delivery;

  HealthOverview(DestinationStore store, DeliveryControl delivery) {
    this.store = store;
    this.delivery = delivery;
  }

  /** Every destination's view, by group path, then oldest first. */
  List<DestinationHealthView> all() {
    return store.findAll().stream().sorted(ORDER)
        .map(d -> DestinationHealthView.of(d, delivery.status(d.id())))
        .toList();
  }
}
