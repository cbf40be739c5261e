package io.auditstream.core;

import io.auditstream.api.ConflictException;
import io.auditstream.api.LogText;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationConfigs;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.api.spi.DestinationStore;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Internal: how {@link DestinationService} creates, changes and deletes destinations. Each write is one
 * {@link DestinationStore#changeGroup} of its group, so that the group's rules (uniqueness, the limit
 * per kind) hold across every process that shares the store: what the rules check is read inside it,
 * and the write is made through it. Each also runs under this process's lock of the group, which costs
 * nothing and spares a shared store's lock waits between this process's own calls. The delivery side
 * is told of a change only once {@code changeGroup} returned, that is once the change is committed.
 *
 * <p>Checks that may be slow (a config's checks may resolve host names) run before the group's change
 * begins wherever their outcome does not depend on what is read inside it. The caller has checked the
 * actor already.
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
    // Validated before the group's change: nothing it checks depends on the group's other destinations. A
    // generated name is checked against them inside, and generated again in the unlikely case it is taken.
    Destination validated = rules.validate(Destination.builder()
        .id(DestinationId.random())
        .groupPath(group)
        .name(draft.name().orElseGet(() -> rules.generateName(List.of())))
        .active(draft.active())
        .verificationToken(draft.verificationToken().orElseGet(rules::generateToken))
        .config(draft.config())
        .eventTypeFilter(draft.eventTypeFilter())
        .namespaceFilter(draft.namespaceFilter())
        .signing(draft.signingSecret().map(WebhookSigning::with).orElse(WebhookSigning.off()))
        .createdAt(clock.instant()), true);
    return groupLocks.withLock(group, () -> {
      Destination d = store.changeGroup(group, change -> {
        List<Destination> existing = change.destinations();
        Destination created = validated;
        if (draft.name().isEmpty() && existing.stream().anyMatch(e -> e.name().equals(validated.name()))) {
          created = validated.toBuilder().name(rules.generateName(existing)).build();
        }
        String kind = created.kind();
        long sameKind = existing.stream().filter(e -> e.kind().equals(kind)).count();
        if (sameKind >= maxDestinationsPerKind) {
          throw new ConflictException("kind", "group '" + group + "' already has " + sameKind
              + " destinations of kind '" + kind + "' (at most " + maxDestinationsPerKind + " allowed)");
        }
        DestinationRules.checkUnique(created, existing);
        change.save(created);
        return created;
      });
      log.info("Created destination {} in group {} (name={}, kind={})", d.id(), group, LogText.escape(d.name()),
          d.kind());
      notifySaved(d);
      return d;
    });
  }

  /**
   * A change to {@code seen}, a destination the caller read and checked the actor on: read again inside
   * the group's change, then edited, validated and saved; returned as it is when the edit changes nothing.
   * A changed config is edited and validated on {@code seen} before the group's change begins; when the
   * destination was changed meanwhile, that is done again on what is stored (so {@code edit} may run twice).
   */
  Destination change(Destination seen, String what, boolean configChanged,
      Function<Destination, Destination.Builder> edit) {
    DestinationId id = seen.id();
    Prepared prepared = configChanged ? prepare(seen, edit) : null;
    return groupLocks.withLock(seen.groupPath(), () -> {
      Changed changed = store.changeGroup(seen.groupPath(), change -> {
        // Read again inside the change: another call, here or in another process, may have changed or deleted it.
        Destination current = change.find(id).orElseThrow(() -> DestinationLookup.notFound(id));
        Destination next = prepared != null && current.equals(seen) ? prepared.result()
            : rules.validate(edit.apply(current).updatedAt(clock.instant()), configChanged);
        if (next.toBuilder().updatedAt(current.updatedAt()).build().equals(current)) {
          return new Changed(current, false);
        }
        List<Destination> others = change.destinations().stream().filter(o -> !o.id().equals(id)).toList();
        DestinationRules.checkUnique(next, others);
        change.save(next);
        return new Changed(next, true);
      });
      Destination d = changed.destination();
      if (!changed.saved()) {
        log.debug("Destination {} of group {} unchanged ({})", id, d.groupPath(), what);
        return d;
      }
      log.info("Destination {} of group {} {} (name={}, kind={}, active={})",
          id, d.groupPath(), what, LogText.escape(d.name()), d.kind(), d.active());
      notifySaved(d);
      return d;
    });
  }

  /**
   * Pauses the destination {@code id} with {@code reason}, for the engine, which found that it kept
   * failing: read again inside the group's change, saved paused, and made known to the delivery side once
   * committed; the engine logs it. Nothing is done when it no longer exists or is paused already (by an
   * Owner, or by another instance that shares the store).
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
      Destination paused = store.changeGroup(seen.groupPath(), change -> {
        Destination current = change.find(id).orElse(null);
        if (current == null || current.paused()) {
          return null;
        }
        // The destination's own rules only: a catalog that changed since it was saved must not keep it running.
        Destination p = current.toBuilder().paused(reason).updatedAt(clock.instant()).build();
        change.save(p);
        return p;
      });
      if (paused == null) {
        return false;
      }
      notifySaved(paused);
      return true;
    });
  }

  /** Deletes {@code seen}, a destination the caller read and checked the actor on, in one change of its group. */
  void delete(Destination seen) {
    DestinationId id = seen.id();
    groupLocks.withLock(seen.groupPath(), () -> {
      Deleted deleted = store.changeGroup(seen.groupPath(), change -> {
        Destination d = change.find(id).orElseThrow(() -> DestinationLookup.notFound(id));
        if (!change.delete(id)) {
          throw DestinationLookup.notFound(id);
        }
        return new Deleted(d, change.destinations().isEmpty());
      });
      Destination d = deleted.destination();
      log.info("Deleted destination {} of group {} (name={}, kind={})", d.id(), d.groupPath(),
          LogText.escape(d.name()), d.kind());
      try {
        delivery.destinationDeleted(d);
      } catch (RuntimeException e) {
        log.warn("Delivery side failed to take note of deleted destination {}: {}", d.id(), e.toString());
      }
      if (deleted.wasLast()) {
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
    if (sinks.brokenRules(d.config()).isPresent()) {
      // A config stored under earlier, looser rules is replaced whole: it is what the Owner must change,
      // and its kind cannot read it to lend its secrets (a secret left out is refused as redacted).
      sinks.require(replacement);
      return replacement;
    }
    sinks.require(d.config());
    sinks.require(replacement);
    return DestinationConfigs.keepingSecrets(replacement, d.config());
  }

  /**
   * {@code edit} applied to {@code seen} and validated, or what it threw: the slow checks done before the
   * group's change begins, valid as long as the destination is still stored as {@code seen}.
   */
  private Prepared prepare(Destination seen, Function<Destination, Destination.Builder> edit) {
    try {
      return new Prepared(rules.validate(edit.apply(seen).updatedAt(clock.instant()), true), null);
    } catch (RuntimeException e) {
      // Thrown only if the destination is still as seen: changed meanwhile, the edit may succeed on what is stored.
      return new Prepared(null, e);
    }
  }

  /** A prepared change: the validated destination, or the exception that edit or validation threw. */
  private record Prepared(Destination destination, RuntimeException failure) {
    Destination result() {
      if (failure != null) {
        throw failure;
      }
      return destination;
    }
  }

  /** What a change of one destination left stored, and whether it saved anything. */
  private record Changed(Destination destination, boolean saved) {}

  /** A deleted destination, and whether it was its group's last. */
  private record Deleted(Destination destination, boolean wasLast) {}

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
