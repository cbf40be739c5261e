package io.auditstream.core;

import io.auditstream.api.AccessDeniedException;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ConflictException;
import io.auditstream.api.LogText;
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
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DestinationStore;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.api.sink.SinkContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Management of streaming destinations, every call made on behalf of an {@link Actor} who must be
 * an Owner of the destination's top-level group.
 *
 * <p>Obtained from {@link AuditStreamer#destinations()}. Thread-safe: changes to one group are
 * serialised, so uniqueness rules and limits hold under concurrent calls. Every change is saved to
 * the {@link io.auditstream.api.spi.DestinationStore} before it takes effect for delivery.
 *
 * <p>Access: the library asks the host's {@link AccessPolicy} one question only, "is this actor an
 * Owner of this top-level group?", always about the destination's own top-level group (never a
 * subgroup). A caller who is not an Owner is refused and nothing changes:
 *
 * <ul>
 *   <li>calls that name a group ({@link #create}, {@link #list}) throw {@link AccessDeniedException}
 *       naming only that group;
 *   <li>calls that name a destination by id throw the {@link NotFoundException} an unknown id gets,
 *       with the same message, so a caller learns neither that the destination exists nor its group.
 * </ul>
 *
 * <p>The {@linkplain Actor#anonymous() anonymous} actor gets the same answers, without the policy
 * being asked.
 *
 * <p>Verification tokens: {@link #create} returns the new destination as saved, with its token, so an
 * Owner can see a generated one; every other call returns destinations {@linkplain
 * Destination#redacted() redacted}, without the token and write-only secrets, and Owners read the
 * token with {@link #verificationToken}.
 *
 * <p>Every kind, built-in or a host's own, is handled through its {@link
 * io.auditstream.api.destination.DestinationKind}: its rules, its uniqueness key (an HTTP
 * destination's URL, an S3 bucket, ...) and its write-only secrets, which listings redact and
 * updates keep unless they replace them.
 *
 * <p>A destination whose kind has no sink on the classpath stays stored as it is, is listed with an
 * {@link io.auditstream.api.destination.UnavailableDestinationConfig} ({@link
 * Destination#available()} false), can be renamed, switched off, paused and deleted, but its config
 * cannot be changed until the artifact it names is added. A config stored by an earlier version that
 * breaks a rule its kind added since is kept the same way, and receives nothing, until an Owner
 * replaces it with one that follows the rules ({@link #update}).
 *
 * <p>Dead letters: deliveries given up on (refused for good, or aged out of their retries) are kept
 * per destination; its Owners list them with {@link #deadLetters} and deliver them again with {@link
 * #redeliver} or {@link #redeliverSince}. {@link #status} counts them.
 *
 * <p>Signed payloads: off by default; {@link #enableSigning}, {@link #rotateSigningSecret}, {@link
 * #endSigningRotation} and {@link #disableSigning} manage a destination's {@link WebhookSigning}. Its
 * signing secrets are write-only: no call returns them, except the one that generated a secret, once.
 *
 * <p>Errors: {@link ValidationException} names every field that breaks a rule; {@link
 * ConflictException} for a duplicate name or kind key, or a full group; {@link NotFoundException} for
 * an unknown destination; {@link MissingSinkException} when no sink serves the destination's kind. A
 * rejected call changes nothing. Messages never contain a secret. Once the streamer is closed, every
 * call throws {@link IllegalStateException} ({@code "audit streamer is closed"}).
 */
public final class DestinationService {
  /** The event type of {@link #sendTestEvent}. */
  public static final String TEST_EVENT_TYPE = "audit_stream_test_event";
  /** Length of generated verification tokens (the longest allowed). */
  public static final int GENERATED_TOKEN_LENGTH = Destination.MAX_TOKEN_LENGTH;
  /** The most dead letters one {@link #deadLetters} call returns. */
  public static final int MAX_DEAD_LETTER_LIMIT = 1000;

  private final DestinationStore store;
  private final DeliveryControl delivery;
  private final DestinationLookup lookup;
  private final DestinationWrites writes;
  private final DeliveryRequests requests;
  private final SinkProviders sinks;
  private volatile boolean closed;

  DestinationService(DestinationStore store, AccessPolicy access, EventTypeCatalog catalog, SinkProviders sinks,
      DeliveryControl delivery, int maxDestinationsPerKind, Clock clock, SinkContext sinkContext) {
    this.store = Objects.requireNonNull(store, "store");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    DestinationRules rules = new DestinationRules(Objects.requireNonNull(catalog, "catalog"),
        Objects.requireNonNull(sinks, "sinks"), Objects.requireNonNull(sinkContext, "sinkContext"));
    this.lookup = new DestinationLookup(store, Objects.requireNonNull(access, "access"));
    this.writes = new DestinationWrites(store, sinks, delivery, rules, maxDestinationsPerKind,
        Objects.requireNonNull(clock, "clock"));
    this.requests = new DeliveryRequests(delivery, clock);
    this.sinks = sinks;
  }

  /**
   * Adds a destination to the top-level group {@code groupPath}. A missing name is generated
   * (unique in the group); a missing verification token is generated (24 letters and digits).
   * Returns the destination as saved, with its verification token and what the draft held.
   *
   * @throws AccessDeniedException unless {@code actor} is an Owner of the group
   * @throws ValidationException when {@code groupPath} is not a top-level group or a field breaks a rule
   * @throws ConflictException for a duplicate name or kind key (URL, bucket, project and log), or when the group
   *     has the maximum of the kind
   * @throws MissingSinkException when no sink serves the kind
   */
  public Destination create(Actor actor, String groupPath, DestinationDraft draft) {
    ensureOpen();
    Objects.requireNonNull(draft, "draft");
    Namespace.validatePath("groupPath", groupPath);
    String group = Namespace.topLevelGroupOf(groupPath);
    lookup.requireOwner(actor, group);
    if (!group.equals(groupPath)) {
      throw new ValidationException("groupPath", "groupPath must be a top-level group: a subgroup can have no "
          + "streaming destinations (was " + groupPath + ")");
    }
    return withSigningRedacted(writes.create(group, draft));
  }

  /**
   * The group's destinations, oldest first, {@linkplain Destination#redacted() redacted}: without their
   * verification tokens and write-only secrets (header values stay).
   *
   * @throws AccessDeniedException unless {@code actor} is an Owner of the group
   * @throws ValidationException when {@code groupPath} is not a top-level group (only those have
   *     destinations)
   */
  public List<Destination> list(Actor actor, String groupPath) {
    ensureOpen();
    Namespace.validatePath("groupPath", groupPath);
    String group = Namespace.topLevelGroupOf(groupPath);
    lookup.requireOwner(actor, group);
    if (!group.equals(groupPath)) {
      throw new ValidationException("groupPath", "groupPath must be a top-level group: a subgroup has no "
          + "streaming destinations, they are listed on its top-level group " + group + " (was " + groupPath + ")");
    }
    return store.findByGroup(groupPath).stream().map(Destination::redacted).toList();
  }

  /**
   * One destination, {@linkplain Destination#redacted() redacted}: without its verification token and
   * write-only secrets.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public Destination get(Actor actor, DestinationId id) {
    ensureOpen();
    return lookup.readAsOwner(actor, id).redacted();
  }

  /**
   * Changes name, active flag or settings; the token never changes. Only what the update sets
   * changes; an update that changes nothing is accepted and saves nothing. A replacement {@code
   * config} that leaves a write-only secret absent or redacted (a private key, a secret access key)
   * keeps the destination's current one, so an Owner can edit a listed config without knowing its
   * secret.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   * @throws ValidationException naming every field that breaks a rule, or {@code config} when it is of
   *     another kind
   * @throws MissingSinkException when {@code config} is set and no sink serves the kind
   * @throws ConflictException for a name or kind key (URL, bucket, project and log) another
   *     destination of the group has
   */
  public Destination update(Actor actor, DestinationId id, DestinationUpdate update) {
    ensureOpen();
    Objects.requireNonNull(update, "update");
    return change(actor, id, "updated", update.config().isPresent(), d -> {
      Destination.Builder b = d.toBuilder();
      update.name().ifPresent(b::name);
      update.active().ifPresent(b::active);
      update.config().ifPresent(c -> b.config(writes.replaceConfig(d, c)));
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
   * @throws NotFoundException for an unknown id, a destination {@code actor} is not an Owner of, or a
   *     header or entry {@code edit} looks for in vain
   * @throws ValidationException naming every field that breaks a rule, or {@code config} when the
   *     destination's config is not a {@code type}
   * @throws ConflictException for a kind key another destination of the group has
   */
  public <C extends DestinationConfig> Destination updateConfig(Actor actor, DestinationId id, Class<C> type,
      UnaryOperator<C> edit) {
    ensureOpen();
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(edit, "edit");
    return change(actor, id, "settings updated", true, d -> {
      DestinationConfig listed = DestinationConfigs.redacted(d.config());
      if (!type.isInstance(listed)) {
        throw new ValidationException("config", "config of destination " + d.id() + " is of kind '" + d.kind()
            + "', not a " + type.getSimpleName());
      }
      C edited = Objects.requireNonNull(edit.apply(type.cast(listed)), "config");
      return d.toBuilder().config(writes.replaceConfig(d, edited));
    });
  }

  /**
   * Pauses a destination: its events are still routed to it and wait in its backlog (bounded, and aging
   * out into dead letters as any backlog does), but none is delivered until it is {@linkplain #resume
   * resumed}. Unlike an inactive destination, it misses no event meanwhile. Pausing a paused destination
   * replaces its reason.
   *
   * @param reason why, shown by {@link #get} and {@link #status}: 1 to {@value
   *     Destination#MAX_PAUSED_REASON_LENGTH} characters, not blank, on one line
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   * @throws ValidationException when {@code reason} is blank, too long, or has a line break or other control
   *     character
   */
  public Destination pause(Actor actor, DestinationId id, String reason) {
    ensureOpen();
    Objects.requireNonNull(reason, "reason");
    ValidationException.Collector v = ValidationException.collector();
    Destination.Builder.validateNoControlCharacters(v, "pausedReason", reason);
    v.throwIfAny();
    return change(actor, id, "paused: " + LogText.escape(reason), false, d -> d.toBuilder().paused(reason));
  }

  /**
   * Resumes a paused destination, whether an Owner or the engine paused it: its backlog is delivered,
   * oldest first and back to back (a destination that was failing is attempted again when its next
   * retry is due). Resuming a destination that is not paused changes nothing.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public Destination resume(Actor actor, DestinationId id) {
    ensureOpen();
    return change(actor, id, "resumed", false, d -> d.toBuilder().resumed());
  }

  /**
   * Deletes a destination; deleting a group's last one turns streaming off for the group.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public void delete(Actor actor, DestinationId id) {
    ensureOpen();
    writes.delete(lookup.readAsOwner(actor, id));
  }

  /**
   * Replaces the event-type filter; an empty set clears it. Types must be in the catalog.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   * @throws ValidationException naming the types the catalog does not know
   */
  public Destination setEventTypeFilter(Actor actor, DestinationId id, Set<String> eventTypes) {
    ensureOpen();
    Set<String> types = Set.copyOf(eventTypes);
    return change(actor, id, "event-type filter set", false, d -> d.toBuilder().eventTypeFilter(types));
  }

  /**
   * Clears the event-type filter: the destination receives every type again.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public Destination clearEventTypeFilter(Actor actor, DestinationId id) {
    ensureOpen();
    return change(actor, id, "event-type filter cleared", false, d -> d.toBuilder().eventTypeFilter(Set.of()));
  }

  /**
   * Replaces the namespace filter; each must be a subgroup or project of the destination's group.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   * @throws ValidationException naming a namespace outside the group (or the group itself)
   */
  public Destination setNamespaceFilter(Actor actor, DestinationId id, Set<Namespace> namespaces) {
    ensureOpen();
    Set<Namespace> filter = Set.copyOf(namespaces);
    return change(actor, id, "namespace filter set", false, d -> d.toBuilder().namespaceFilter(filter));
  }

  /**
   * Clears the namespace filter.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public Destination clearNamespaceFilter(Actor actor, DestinationId id) {
    ensureOpen();
    return change(actor, id, "namespace filter cleared", false, d -> d.toBuilder().namespaceFilter(Set.of()));
  }

  /**
   * The verification token, which Owners may read to check received events; listings leave it out.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public Secret verificationToken(Actor actor, DestinationId id) {
    ensureOpen();
    return lookup.readAsOwner(actor, id).verificationToken().orElseThrow();
  }

  /**
   * Delivery health of a destination, with the reason it is paused, if it is. For a config stored by an
   * earlier version that breaks a rule its kind added since, the last error names the rule even before
   * a delivery has failed on it.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public DestinationStatus status(Actor actor, DestinationId id) {
    ensureOpen();
    Destination d = lookup.readAsOwner(actor, id);
    DestinationStatus status = delivery.status(d.id()).withPausedReason(d.pausedReason());
    if (status.lastError().isPresent()) {
      return status;
    }
    return sinks.brokenRules(d.config()).map(rules -> new DestinationStatus(status.destinationId(),
        status.pending(), status.delivered(), status.failed(), status.dropped(), status.deadLetters(),
        status.consecutiveFailures(), status.lastSuccessAt(), status.lastFailureAt(),
        Optional.of(SinkProviders.brokenRulesMessage(rules)), status.pausedReason())).orElse(status);
  }

  /**
   * Queues a test event of type {@code audit_stream_test_event} for this destination alone, even
   * when it is inactive or filtered. Returns at once, with the event's id.
   *
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   * @throws AuditStreamException when the delivery queue had no room for it
   */
  public String sendTestEvent(Actor actor, DestinationId id) {
    ensureOpen();
    return requests.sendTestEvent(actor, lookup.readAsOwner(actor, id));
  }

  /**
   * A destination's dead letters, oldest first: deliveries given up on, each with its event (the payload
   * as it would be sent), attempts, when and why.
   *
   * @param limit how many at most, 1 to {@value #MAX_DEAD_LETTER_LIMIT}
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   * @throws ValidationException when {@code limit} is out of range
   */
  public List<DeadLetter> deadLetters(Actor actor, DestinationId id, int limit) {
    ensureOpen();
    return requests.deadLetters(lookup.readAsOwner(actor, id), limit);
  }

  /**
   * Delivers again the destination's dead letters of these event ids (ids that are not dead letters of
   * it are ignored): each is queued anew behind the destination's other deliveries, with its attempts
   * reset and its age counted from now, and the destination's delivery is woken. Returns at once.
   *
   * @return how many dead letters were queued again
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public int redeliver(Actor actor, DestinationId id, Collection<String> eventIds) {
    ensureOpen();
    Objects.requireNonNull(eventIds, "eventIds");
    return requests.redeliver(actor, lookup.readAsOwner(actor, id), eventIds);
  }

  /**
   * As {@link #redeliver}, for every dead letter of the destination given up on at or after {@code since}.
   *
   * @return how many dead letters were queued again
   * @throws NotFoundException for an unknown id, or a destination {@code actor} is not an Owner of
   */
  public int redeliverSince(Actor actor, DestinationId id, Instant since) {
    ensureOpen();
    Objects.requireNonNull(since, "since");
    return requests.redeliverSince(actor, lookup.readAsOwner(actor, id), since);
  }

  /** Whether the group has at least one destination (streaming is on). No access check. */
  public boolean streamingEnabled(String groupPath) {
    ensureOpen();
    return !store.findByGroup(Namespace.topLevelGroupOf(groupPath)).isEmpty();
  }

  /**
   * Pauses a destination that kept failing, for the engine ({@link
   * io.auditstream.core.internal.DestinationPauser}); no access check. See {@link
   * DestinationWrites#pauseAutomatically}.
   */
  boolean pauseAutomatically(DestinationId id, String reason) {
    return writes.pauseAutomatically(id, reason);
  }

  /** The streamer closed: every call from now on throws {@link IllegalStateException}. */
  void close() {
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("audit streamer is closed");
    }
  }

  /**
   * A change to one destination: read it, check the Owner, then edit it as {@link DestinationWrites#change}
   * does; returned redacted.
   */
  private Destination change(Actor actor, DestinationId id, String what, boolean configChanged,
      Function<Destination, Destination.Builder> edit) {
    return writes.change(lookup.readAsOwner(actor, id), what, configChanged, edit).redacted();
  }

  /** How many random bytes a generated signing secret encodes. */
  public static final int GENERATED_SIGNING_KEY_BYTES = 32;

  private static final SecureRandom SIGNING_KEYS = new SecureRandom();

  /**
   * A new signing secret: {@value WebhookSigning#SECRET_PREFIX} and the base64 of {@value
   * #GENERATED_SIGNING_KEY_BYTES} random bytes from a {@link SecureRandom}. Thread-safe.
   */
  public static Secret newSigningSecret() {
    byte[] key = new byte[GENERATED_SIGNING_KEY_BYTES];
    SIGNING_KEYS.nextBytes(key);
    return Secret.of(WebhookSigning.SECRET_PREFIX + Base64.getEncoder().encodeToString(key));
  }

  /**
   * Turns signing on with {@code signingSecret}: from the next delivery attempt, every request carries
   * {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} (Standard Webhooks), as
   * well as the verification token. On a destination that signs already, the secret replaces the current
   * one and ends any rotation at once; to switch secrets without a gap for receivers, {@linkplain
   * #rotateSigningSecret(Actor, DestinationId, Secret) rotate} instead. The secret is write-only: the
   * returned destination, like every listing, carries it redacted. Kinds whose requests carry no headers
   * (Cloud Logging, S3) ignore it.
   *
   * @param signingSecret {@value WebhookSigning#SECRET_PREFIX} and the base64 of {@value
   *     WebhookSigning#MIN_KEY_BYTES} to {@value WebhookSigning#MAX_KEY_BYTES} random bytes
   * @throws NotFoundException for an unknown id, and, with the same message, unless {@code actor} is an
   *     Owner of its group
   * @throws ValidationException naming {@code signingSecret} when it breaks the rule (never showing it)
   */
  public Destination enableSigning(Actor actor, DestinationId id, Secret signingSecret) {
    ensureOpen();
    Objects.requireNonNull(signingSecret, "signingSecret");
    // Checked inside the change, after the Owner check, as every other rule is.
    return change(actor, id, "signing enabled", false,
        d -> d.toBuilder().signing(WebhookSigning.with(signingSecret)));
  }

  /**
   * As {@link #enableSigning(Actor, DestinationId, Secret)}, with a {@linkplain #newSigningSecret() new
   * secret}, returned once for the Owner to give the destination's receivers: it is never shown again.
   *
   * @throws NotFoundException for an unknown id, and, with the same message, unless {@code actor} is an
   *     Owner of its group
   */
  public Secret enableSigning(Actor actor, DestinationId id) {
    Secret secret = newSigningSecret();
    enableSigning(actor, id, secret);
    return secret;
  }

  /**
   * Starts a rotation to {@code newSecret}: it becomes the current signing secret, and the current one is
   * kept as the previous; until {@link #endSigningRotation} every request carries both signatures,
   * space-separated, so that receivers holding either secret accept it while they switch. A rotation
   * started during another drops the oldest secret.
   *
   * @throws NotFoundException for an unknown id, and, with the same message, unless {@code actor} is an
   *     Owner of its group
   * @throws ValidationException naming {@code signingSecret} when it breaks the rule, equals the current
   *     secret, or signing is off
   */
  public Destination rotateSigningSecret(Actor actor, DestinationId id, Secret newSecret) {
    ensureOpen();
    Objects.requireNonNull(newSecret, "newSecret");
    return change(actor, id, "signing secret rotated", false,
        d -> d.toBuilder().signing(d.signing().rotatedTo(newSecret)));
  }

  /**
   * As {@link #rotateSigningSecret(Actor, DestinationId, Secret)}, to a {@linkplain #newSigningSecret()
   * new secret}, returned once: it is never shown again.
   *
   * @throws NotFoundException for an unknown id, and, with the same message, unless {@code actor} is an
   *     Owner of its group
   * @throws ValidationException naming {@code signingSecret} when signing is off
   */
  public Secret rotateSigningSecret(Actor actor, DestinationId id) {
    Secret secret = newSigningSecret();
    rotateSigningSecret(actor, id, secret);
    return secret;
  }

  /**
   * Ends a rotation: the previous signing secret is dropped, and the current one alone signs from the
   * next attempt. Changes nothing when no rotation is under way.
   *
   * @throws NotFoundException for an unknown id, and, with the same message, unless {@code actor} is an
   *     Owner of its group
   */
  public Destination endSigningRotation(Actor actor, DestinationId id) {
    ensureOpen();
    return change(actor, id, "signing rotation ended", false,
        d -> d.toBuilder().signing(d.signing().rotationEnded()));
  }

  /**
   * Turns signing off and forgets the signing secrets: from the next attempt, requests carry the
   * verification token alone. Changes nothing when signing is off.
   *
   * @throws NotFoundException for an unknown id, and, with the same message, unless {@code actor} is an
   *     Owner of its group
   */
  public Destination disableSigning(Actor actor, DestinationId id) {
    ensureOpen();
    return change(actor, id, "signing disabled", false, d -> d.toBuilder().signing(WebhookSigning.off()));
  }

  /** {@code d} as a call returns it: its signing secrets are write-only, so only their state is shown. */
  private static Destination withSigningRedacted(Destination d) {
    WebhookSigning listed = d.signing().redacted();
    return listed.equals(d.signing()) ? d : d.toBuilder().signing(listed).build();
  }
}
