package io.auditstream.core;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.Actor;
import io.auditstream.api.LogText;
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
 * before the Owner check because only the destination knows its group.
 *
 * <p>A refusal reveals nothing: an id of a destination the actor may not manage gets exactly the
 * answer an unknown id gets, so a caller learns neither that it exists nor its group. The {@linkplain
 * Actor#anonymous() anonymous} actor is refused without asking the host's policy. Thread-safe.
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
   * @throws NotFoundException for an unknown id, and alike for a destination {@code actor} may not manage
   */
  Destination readAsOwner(Actor actor, DestinationId id) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(id, "id");
    Destination d = store.find(id).orElseThrow(() -> notFound(id));
    if (!isOwner(actor, d.groupPath())) {
      log.debug("Refused {} on destination {}: not an Owner of its group", actor, LogText.escape(id.value()));
      throw notFound(id);
    }
    return d;
  }

  /**
   * Requires {@code actor} to be an Owner of {@code group}, a top-level group the caller named. The message
   * names only that group, and is the same for every actor refused.
   *
   * @throws AccessDeniedException unless {@code actor} is an Owner of {@code group}
   */
  void requireOwner(Actor actor, String group) {
    Objects.requireNonNull(actor, "actor");
    if (!isOwner(actor, group)) {
      log.debug("Refused {} on group {}: not an Owner", actor, group);
      throw new AccessDeniedException("only an Owner of group '" + group + "' may manage its streaming destinations");
    }
  }

  /** Whether {@code actor} is an Owner of {@code group}; the anonymous actor never is, and the policy is not asked. */
  private boolean isOwner(Actor actor, String group) {
    return !actor.isAnonymous() && access.isOwner(actor, group);
  }

  /** The error for an id that names no destination, or one the caller may not manage. */
  static NotFoundException notFound(DestinationId id) {
    // Escaped: a caller may have typed the id.
    return new NotFoundException("no destination with id '" + LogText.escape(id.value()) + "'");
  }
}
