package io.auditstream.core;

import io.auditstream.api.ConflictException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationConfigs;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: how {@link DestinationService} creates, changes and deletes destinations. Each write runs
 * under its group's lock: the destination is validated, checked against the group's other
 * destinations (uniqueness, the limit per kind), saved to the store, and only then made known to the
 * delivery side. The caller has checked the actor already.
 *
 * <p>Thread-safe.
 */
final class DestinationWrites {
  // Logged as DestinationService: hosts set one logger for everything destination management does.
  private static final Logger log = LoggerFactory.getLogger(DestinationService.class);

  private final DestinationStore store;
  private final SinkProviders sinks;
  private final DeliveryControl delivery;
  private final DestinationRules rules;
  private final int maxDestinationsPerKind;
  private final Clock clock;
  private final GroupLocks groupLocks = new GroupLocks();

  DestinationWrites(DestinationStore store, SinkProviders sinks, DeliveryControl delivery, DestinationRules rules,
      int maxDestinationsPerKind, Clock clock) {
    this.store = store;
    this.sinks = sinks;
    this.delivery = delivery;
    this.rules = rules;
    this.maxDestinationsPerKind = maxDestinationsPerKind;
    this.clock = clock;
  }

  /** As {@link DestinationService#create}: a destination from {@code draft} in the top-level group {@code group}. */
  Destination create(String group, DestinationDraft draft) {
    sinks.require(draft.config());
    return groupLocks.withLock(group, () -> {
      List<Destination> existing = store.findByGroup(group);
      Destination.Builder b = Destination.builder()
          .id(DestinationId.random())
          .groupPath(group)
          .name(draft.name().orElseGet(() -> rules.generateName(existing)))
          .active(draft.active())
          .verificationToken(draft.verificationToken().orElseGet(rules::generateToken))
          .config(draft.config())
          .eventTypeFilter(draft.eventTypeFilter())
          .namespaceFilter(draft.namespaceFilter())
          .createdAt(clock.instant());
      Destination d = rules.validate(b, true);
      long sameKind = existing.stream().filter(e -> e.kind().equals(d.kind())).count();
      if (sameKind >= maxDestinationsPerKind) {
        throw new ConflictException("kind", "group '" + group + "' already has " + sameKind + " destinations of kind '"
            + d.kind() + "' (at most " + maxDestinationsPerKind + " allowed)");
      }
      DestinationRules.checkUnique(d, existing);
      store.save(d);
      log.info("Created destination {} in group {} (name={}, kind={})", d.id(), group, d.name(), d.kind());
      notifySaved(d);
      return d;
    });
  }

  /**
   * A change to {@code seen}, a destination the caller read and checked the actor on: read again, then
   * edited, validated and saved under the group lock; returned as it is when the edit changes nothing.
   */
  Destination change(Destination seen, String what, boolean configChanged,
      Function<Destination, Destination.Builder> edit) {
    DestinationId id = seen.id();
    return groupLocks.withLock(seen.groupPath(), () -> {
      // Read again under the lock: another call may have changed or deleted it meanwhile.
      Destination current = store.find(id).orElseThrow(() -> DestinationLookup.notFound(id));
      Destination next = rules.validate(edit.apply(current).updatedAt(clock.instant()), configChanged);
      if (next.toBuilder().updatedAt(current.updatedAt()).build().equals(current)) {
        log.debug("Destination {} of group {} unchanged ({})", id, current.groupPath(), what);
        return current;
      }
      List<Destination> others = store.findByGroup(current.groupPath()).stream()
          .filter(o -> !o.id().equals(id)).toList();
      DestinationRules.checkUnique(next, others);
      store.save(next);
      log.info("Destination {} of group {} {} (name={}, kind={}, active={})",
          id, next.groupPath(), what, next.name(), next.kind(), next.active());
      notifySaved(next);
      return next;
    });
  }

  /**
   * Pauses the destination {@code id} with {@code reason}, for the engine, which found that it kept
   * failing: under the group lock, read again, saved paused and made known to the delivery side; the
   * engine logs it. Nothing is done when it no longer exists or is paused already (by an Owner, or by
   * another instance that shares the store).
   *
   * @return true when this call paused it
   * @throws RuntimeException when the store fails: nothing changed
   */
  boolean pauseAutomatically(DestinationId id, String reason) {
    Destination seen = store.find(id).orElse(null);
    if (seen == null || seen.paused()) {
      return false;
    }
    return groupLocks.withLock(seen.groupPath(), () -> {
      Destination current = store.find(id).orElse(null);
      if (current == null || current.paused()) {
        return false;
      }
      // The destination's own rules only: a catalog that changed since it was saved must not keep it running.
      Destination paused = current.toBuilder().paused(reason).updatedAt(clock.instant()).build();
      store.save(paused);
      notifySaved(paused);
      return true;
    });
  }

  /** Deletes {@code seen}, a destination the caller read and checked the actor on, under the group lock. */
  void delete(Destination seen) {
    DestinationId id = seen.id();
    groupLocks.withLock(seen.groupPath(), () -> {
      Destination d = store.find(id).orElseThrow(() -> DestinationLookup.notFound(id));
      if (!store.delete(id)) {
        throw DestinationLookup.notFound(id);
      }
      log.info("Deleted destination {} of group {} (name={}, kind={})", d.id(), d.groupPath(), d.name(), d.kind());
      try {
        delivery.destinationDeleted(d);
      } catch (RuntimeException e) {
        log.warn("Delivery side failed to take note of deleted destination {}: {}", d.id(), e.toString());
      }
      if (store.findByGroup(d.groupPath()).isEmpty()) {
        log.info("Streaming is off for group {}: its last destination was deleted", d.groupPath());
      }
      return d;
    });
  }

  /**
   * {@code replacement} as the new config of {@code d}: of its kind, with the write-only secrets it
   * leaves out taken from the stored config.
   */
  DestinationConfig replaceConfig(Destination d, DestinationConfig replacement) {
    if (!replacement.kind().equals(d.kind())) {
      throw new ValidationException("config", "config must be of the destination's kind '" + d.kind()
          + "' (was '" + replacement.kind() + "')");
    }
    sinks.require(d.config());
    sinks.require(replacement);
    return DestinationConfigs.keepingSecrets(replacement, d.config());
  }

  private void notifySaved(Destination d) {
    try {
      delivery.destinationSaved(d);
    } catch (RuntimeException e) {
      // The store holds the change already; failing the call now would report a change as
      // rejected although it was made.
      log.warn("Delivery side failed to take note of saved destination {}: {}", d.id(), e.toString());
    }
  }
}
