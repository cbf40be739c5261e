package io.auditstream.core;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.Actor;
import io.auditstream.api.NotFoundException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DestinationStore;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: the checks that come first in every {@link DestinationService} call: finding the
 * destination an id names, and refusing an actor who is not an Owner of its group. The lookup comes
 * before the Owner check because only the destination knows its group. Thread-safe.
 */
final class DestinationLookup {
  // Logged as DestinationService: hosts set one logger for everything destination management does.
  private static final Logger log = LoggerFactory.getLogger(DestinationService.class);

  private final DestinationStore store;
  private final AccessPolicy access;

  DestinationLookup(DestinationStore store, AccessPolicy access) {
    this.store = store;
    this.access = access;
  }

  /**
   * The stored destination {@code id} names, once {@code actor} is known to be an Owner of its group.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  Destination readAsOwner(Actor actor, DestinationId id) {
    Objects.requireNonNull(id, "id");
    Destination d = store.find(id).orElseThrow(() -> notFound(id));
    requireOwner(actor, d.groupPath());
    return d;
  }

  /** @throws AccessDeniedException unless {@code actor} is an Owner of {@code group} */
  void requireOwner(Actor actor, String group) {
    Objects.requireNonNull(actor, "actor");
    if (!access.isOwner(actor, group)) {
      log.debug("Refused actor {} on group {}: not an Owner", actor.id(), group);
      throw new AccessDeniedException("actor '" + actor.id() + "' is not an Owner of group '" + group + "'");
    }
  }

  /** The error for an id that names no destination. */
  static NotFoundException notFound(DestinationId id) {
    return new NotFoundException("no destination with id '" + id + "'");
  }
}
