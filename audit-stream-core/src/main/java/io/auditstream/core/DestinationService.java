package io.auditstream.core;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ConflictException;
import io.auditstream.api.EntityType;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.Namespace;
import io.auditstream.api.NotFoundException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationConfigs;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.api.sink.SinkContext;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management of streaming destinations, every call made on behalf of an {@link Actor} who must be
 * an Owner of the destination's top-level group (else {@link AccessDeniedException}).
 *
 * <p>Obtained from {@link AuditStreamer#destinations()}. Thread-safe: changes to one group are
 * serialised, so uniqueness rules and limits hold under concurrent calls. Every change is saved to
 * the {@link io.auditstream.api.spi.DestinationStore} before it takes effect for delivery.
 *
 * <p>Calls that name a destination by id look it up first, because only the destination knows its
 * group: an unknown id gives {@link NotFoundException} whoever asks; a known one is then subject to
 * the Owner check before anything else.
 *
 * <p>Every kind, built-in or a host's own, is handled through its {@link
 * io.auditstream.api.destination.DestinationKind}: its rules, its uniqueness key (an HTTP
 * destination's URL, an S3 bucket, ...) and its write-only secrets, which listings redact and
 * updates keep unless they replace them.
 *
 * <p>A destination whose kind has no sink on the classpath stays stored as it is, is listed with an
 * {@link io.auditstream.api.destination.UnavailableDestinationConfig} ({@link
 * Destination#available()} false), can be renamed, paused and deleted, but its config cannot be
 * changed until the artifact it names is added.
 *
 * <p>Errors: {@link ValidationException} names every field that breaks a rule; {@link
 * ConflictException} for a duplicate name or kind key, or a full group; {@link NotFoundException} for
 * an unknown destination; {@link MissingSinkException} when no sink serves the destination's kind. A
 * rejected call changes nothing. Messages never contain a secret.
 */
public final class DestinationService {
  /** The event type of {@link #sendTestEvent}. */
  public static final String TEST_EVENT_TYPE = "audit_stream_test_event";
  /** Length of generated verification tokens (the longest allowed). */
  public static final int GENERATED_TOKEN_LENGTH = Destination.MAX_TOKEN_LENGTH;

  private static final Logger log = LoggerFactory.getLogger(DestinationService.class);

  private final DestinationStore store;
  private final AccessPolicy access;
  private final EventTypeCatalog catalog;
  private final SinkProviders sinks;
  private final DeliveryControl delivery;
  private final int maxDestinationsPerKind;
  private final Clock clock;
  private final DestinationRules rules;
  private final GroupLocks groupLocks = new GroupLocks();

  DestinationService(DestinationStore store, AccessPolicy access, EventTypeCatalog catalog, SinkProviders sinks,
      DeliveryControl delivery, int maxDestinationsPerKind, Clock clock, SinkContext sinkContext) {
    this.store = Objects.requireNonNull(store, "store");
    this.access = Objects.requireNonNull(access, "access");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.sinks = Objects.requireNonNull(sinks, "sinks");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.maxDestinationsPerKind = maxDestinationsPerKind;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rules = new DestinationRules(catalog, sinks, Objects.requireNonNull(sinkContext, "sinkContext"));
  }

  /**
   * Adds a destination to the top-level group {@code groupPath}. A missing name is generated
   * (unique in the group); a missing verification token is generated (24 letters and digits).
   *
   * @throws AccessDeniedException unless {@code actor} is an Owner of the group
   * @throws ValidationException when {@code groupPath} is not a top-level group or a field breaks a rule
   * @throws ConflictException for a duplicate name or kind key (URL, bucket, project and log), or when the group
   *     has the maximum of the kind
   * @throws MissingSinkException when no sink serves the kind
   */
  public Destination create(Actor actor, String groupPath, DestinationDraft draft) {
    Objects.requireNonNull(draft, "draft");
    Namespace.validatePath("groupPath", groupPath);
    String group = Namespace.topLevelGroupOf(groupPath);
    requireOwner(actor, group);
    if (!group.equals(groupPath)) {
      throw new ValidationException("groupPath", "groupPath must be a top-level group: a subgroup can have no "
          + "streaming destinations (was " + groupPath + ")");
    }
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
   * The group's destinations, oldest first, with write-only secrets redacted.
   *
   * @throws AccessDeniedException unless {@code actor} is an Owner of the group
   */
  public List<Destination> list(Actor actor, String groupPath) {
    Namespace.validatePath("groupPath", groupPath);
    requireOwner(actor, Namespace.topLevelGroupOf(groupPath));
    return store.findByGroup(groupPath).stream().map(Destination::redacted).toList();
  }

  /**
   * One destination, with write-only secrets redacted.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  public Destination get(Actor actor, DestinationId id) {
    return readAsOwner(actor, id).redacted();
  }

  /**
   * Changes name, active flag or settings; the token never changes. Only what the update sets
   * changes; an update that changes nothing is accepted and saves nothing. A replacement {@code
   * config} that leaves a write-only secret absent or redacted (a private key, a secret access key)
   * keeps the destination's current one, so an Owner can edit a listed config without knowing its
   * secret.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   * @throws ValidationException naming every field that breaks a rule, or {@code config} when it is of
   *     another kind
   * @throws MissingSinkException when {@code config} is set and no sink serves the kind
   * @throws ConflictException for a name or kind key (URL, bucket, project and log) another
   *     destination of the group has
   */
  public Destination update(Actor actor, DestinationId id, DestinationUpdate update) {
    Objects.requireNonNull(update, "update");
    return change(actor, id, "updated", update.config().isPresent(), d -> {
      Destination.Builder b = d.toBuilder();
      update.name().ifPresent(b::name);
      update.active().ifPresent(b::active);
      update.config().ifPresent(c -> b.config(replaceConfig(d, c)));
      return b;
    });
  }

  /**
   * Edits the settings of a destination of config type {@code type} in one step, under the group's
   * lock, so that concurrent edits never lose each other's changes: {@code edit} gets the current
   * config as a listing shows it (write-only secrets redacted) and returns the new one, which is
   * applied as {@link #update} applies a config. For example, adding a header to an HTTP destination:
   *
   * <pre>{@code
   * destinations.updateConfig(alice, id, HttpDestinationConfig.class,
   *     c -> c.toBuilder().header("Authorization", "Bearer ...").build());
   * }</pre>
   *
   * @throws NotFoundException for an unknown id, or a header or entry {@code edit} looks for in vain
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   * @throws ValidationException naming every field that breaks a rule, or {@code config} when the
   *     destination's config is not a {@code type}
   * @throws ConflictException for a kind key another destination of the group has
   */
  public <C extends DestinationConfig> Destination updateConfig(Actor actor, DestinationId id, Class<C> type,
      UnaryOperator<C> edit) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(edit, "edit");
    return change(actor, id, "settings updated", true, d -> {
      DestinationConfig listed = DestinationConfigs.redacted(d.config());
      if (!type.isInstance(listed)) {
        throw new ValidationException("config", "config of destination " + d.id() + " is of kind '" + d.kind()
            + "', not a " + type.getSimpleName());
      }
      return d.toBuilder().config(replaceConfig(d, Objects.requireNonNull(edit.apply(type.cast(listed)), "config")));
    });
  }

  /**
   * Deletes a destination; deleting a group's last one turns streaming off for the group.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  public void delete(Actor actor, DestinationId id) {
    Destination seen = readAsOwner(actor, id);
    groupLocks.withLock(seen.groupPath(), () -> {
      Destination d = store.find(id).orElseThrow(() -> notFound(id));
      if (!store.delete(id)) {
        throw notFound(id);
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
   * Replaces the event-type filter; an empty set clears it. Types must be in the catalog.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   * @throws ValidationException naming the types the catalog does not know
   */
  public Destination setEventTypeFilter(Actor actor, DestinationId id, Set<String> eventTypes) {
    Set<String> types = Set.copyOf(eventTypes);
    return change(actor, id, "event-type filter set", false, d -> d.toBuilder().eventTypeFilter(types));
  }

  /**
   * Clears the event-type filter: the destination receives every type again.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  public Destination clearEventTypeFilter(Actor actor, DestinationId id) {
    return change(actor, id, "event-type filter cleared", false, d -> d.toBuilder().eventTypeFilter(Set.of()));
  }

  /**
   * Replaces the namespace filter; each must be a subgroup or project of the destination's group.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   * @throws ValidationException naming a namespace outside the group (or the group itself)
   */
  public Destination setNamespaceFilter(Actor actor, DestinationId id, Set<Namespace> namespaces) {
    Set<Namespace> filter = Set.copyOf(namespaces);
    return change(actor, id, "namespace filter set", false, d -> d.toBuilder().namespaceFilter(filter));
  }

  /**
   * Clears the namespace filter.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  public Destination clearNamespaceFilter(Actor actor, DestinationId id) {
    return change(actor, id, "namespace filter cleared", false, d -> d.toBuilder().namespaceFilter(Set.of()));
  }

  /**
   * The verification token, which Owners may read to check received events.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  public Secret verificationToken(Actor actor, DestinationId id) {
    return readAsOwner(actor, id).verificationToken();
  }

  /**
   * Delivery health of a destination.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   */
  public DestinationStatus status(Actor actor, DestinationId id) {
    return delivery.status(readAsOwner(actor, id).id());
  }

  /**
   * Queues a test event of type {@code audit_stream_test_event} for this destination alone, even
   * when it is inactive or filtered. Returns at once, with the event's id.
   *
   * @throws NotFoundException for an unknown id
   * @throws AccessDeniedException unless {@code actor} is an Owner of its group
   * @throws AuditStreamException when the delivery queue had no room for it
   */
  public String sendTestEvent(Actor actor, DestinationId id) {
    Destination d = readAsOwner(actor, id);
    AuditEvent event = AuditEvent.builder()
        .eventType(TEST_EVENT_TYPE)
        .entity(EntityType.GROUP, null, d.groupPath())
        .authorName(actor.id())
        .clock(clock)
        .customMessage("Test event from audit-stream for destination '" + d.name() + "'")
        .build();
    if (!delivery.enqueueDirect(d, event)) {
      throw new AuditStreamException("the delivery queue is full: the test event for destination " + d.id()
          + " was not queued; try again later");
    }
    log.info("Queued test event {} for destination {} of group {}", event.id(), d.id(), d.groupPath());
    return event.id();
  }

  /** Whether the group has at least one destination (streaming is on). No access check. */
  public boolean streamingEnabled(String groupPath) {
    return !store.findByGroup(Namespace.topLevelGroupOf(groupPath)).isEmpty();
  }

  /**
   * {@code replacement} as the new config of {@code d}: of its kind, with the write-only secrets it
   * leaves out taken from the stored config.
   */
  private DestinationConfig replaceConfig(Destination d, DestinationConfig replacement) {
    if (!replacement.kind().equals(d.kind())) {
      throw new ValidationException("config", "config must be of the destination's kind '" + d.kind()
          + "' (was '" + replacement.kind() + "')");
    }
    sinks.require(d.config());
    sinks.require(replacement);
    return DestinationConfigs.keepingSecrets(replacement, d.config());
  }

  /** A change to one destination: read, check the Owner, then edit, validate and save under the group lock. */
  private Destination change(Actor actor, DestinationId id, String what, boolean configChanged,
      Function<Destination, Destination.Builder> edit) {
    Destination seen = readAsOwner(actor, id);
    return groupLocks.withLock(seen.groupPath(), () -> {
      // Read again under the lock: another call may have changed or deleted it meanwhile.
      Destination current = store.find(id).orElseThrow(() -> notFound(id));
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

  private Destination readAsOwner(Actor actor, DestinationId id) {
    Objects.requireNonNull(id, "id");
    Destination d = store.find(id).orElseThrow(() -> notFound(id));
    requireOwner(actor, d.groupPath());
    return d;
  }

  private void requireOwner(Actor actor, String group) {
    Objects.requireNonNull(actor, "actor");
    if (!access.isOwner(actor, group)) {
      log.debug("Refused actor {} on group {}: not an Owner", actor.id(), group);
      throw new AccessDeniedException("actor '" + actor.id() + "' is not an Owner of group '" + group + "'");
    }
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

  private static NotFoundException notFound(DestinationId id) {
    return new NotFoundException("no destination with id '" + id + "'");
  }
}
