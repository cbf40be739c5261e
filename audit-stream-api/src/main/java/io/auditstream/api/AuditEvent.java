package io.auditstream.api;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One audit event of the host application, as it is streamed: the payload fields of the JSON object
 * that destinations receive ({@code id}, {@code event_type}, {@code author_id}, ...) plus the {@link
 * Namespace} that decides which top-level group's destinations get it.
 *
 * <p>The {@code id} is stable: it is generated once, when the event is built without one, and every
 * delivery attempt to every destination carries the same value, so receivers can deduplicate on it.
 *
 * <p>How a host supplies the namespace: for an event about a group or project, setting {@link
 * Builder#entityType} and {@link Builder#entityPath} is enough (the namespace is derived from them).
 * For an event about a user or anything else that happens inside a group or project, set {@link
 * Builder#namespace} explicitly. An event with no namespace belongs to no group and reaches no group's
 * destinations.
 *
 * <p>Immutable and thread-safe. {@code details} is deep-copied into unmodifiable maps and lists; its
 * values must be JSON values (strings, numbers, booleans, null, lists and maps of them with string
 * keys) that the event's JSON form can carry: finite numbers within a double's range, numbers of at
 * most {@value #MAX_DETAILS_NUMBER_LENGTH} characters, at most {@value #MAX_DETAILS_DEPTH} levels.
 * Numbers are copied into types that cannot change later (a {@code BigDecimal} subclass becomes a
 * {@code BigDecimal}, an {@code AtomicLong} the {@code Long} of its value, another {@code Number} the
 * {@code Double} of its value). Every string of the event, keys included, must be valid Unicode: an
 * unpaired surrogate is refused. The {@code event_type} and {@code id} become HTTP header values and
 * parts of object keys, so both hold only ASCII letters, digits, {@code _}, {@code -} and {@code .},
 * starting with a letter or digit, at most {@value #MAX_EVENT_TYPE_LENGTH} and {@value #MAX_ID_LENGTH}
 * characters. So an event that was built can always be encoded and sent: the engine never accepts an
 * event and then fails to send it. A violation is a {@link ValidationException} naming the field.
 *
 * <p>Events that an earlier version accepted under looser rules and stored (in a durable outbox, as dead
 * letters) are read back through {@link #storedBuilder()}, which keeps them as they were.
 */
public final class AuditEvent {
  /** How deep {@code details} may nest ({@code details} itself is the first level). */
  public static final int MAX_DETAILS_DEPTH = 500;
  /** The most characters a number in {@code details} may have (a {@code BigInteger} or {@code BigDecimal}). */
  public static final int MAX_DETAILS_NUMBER_LENGTH = 1000;
  /** The longest an event type may be, in characters. */
  public static final int MAX_EVENT_TYPE_LENGTH = 255;
  /** The longest an event id may be, in characters. */
  public static final int MAX_ID_LENGTH = 128;
  // The payload's field names, punctuation and non-string values at their longest (a long id is 20
  // characters, created_at at most 32 with quotes): 178 + 3 * 20 + 11 + 32 = 281, rounded up.
  private static final int FIXED_JSON_BYTES = 320;

  private final String id;
  private final String eventType;
  private final Long authorId;
  private final String authorName;
  private final Long entityId;
  private final EntityType entityType;
  private final String entityPath;
  private final Long targetId;
  private final String targetType;
  private final String targetDetails;
  private final String ipAddress;
  private final Instant createdAt;
  private final Map<String, Object> details;
  private final EventDetails.Copy detailsCopy;
  private final int encodedSizeBound;
  // Made once: the engine reads it for every event it is handed, on the host's thread.
  private final Optional<Namespace> namespace;
  // Whether the host set the namespace itself; a derived one is derived again by toBuilder(), so
  // that changing the entity of a copy moves the copy to the right group.
  private final boolean namespaceExplicit;
  // Read back from storage by a store's decoder: its copies keep the rules of the version that stored it.
  private final boolean stored;

  private AuditEvent(Builder b, String id, Instant createdAt, Namespace namespace, long textBytes) {
    this.id = id;
    this.eventType = b.eventType;
    this.authorId = b.authorId;
    this.authorName = b.authorName;
    this.entityId = b.entityId;
    this.entityType = b.entityType;
    this.entityPath = b.entityPath;
    this.targetId = b.targetId;
    this.targetType = b.targetType;
    this.targetDetails = b.targetDetails;
    this.ipAddress = b.ipAddress;
    this.createdAt = createdAt;
    this.details = b.details.map();
    this.detailsCopy = b.details;
    this.encodedSizeBound = (int) Math.min(Integer.MAX_VALUE, FIXED_JSON_BYTES + textBytes + b.details.jsonBytes());
    this.namespace = Optional.ofNullable(namespace);
    this.namespaceExplicit = b.namespaceExplicit;
    this.stored = b.stored;
  }

  /** A new builder; {@code eventType} and {@code entityType} must be set before {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder for an event <em>read back from storage</em> (a durable outbox, a dead-letter list), for a
   * store's decoder only: never for events the host builds now, which go through {@link #builder()}.
   *
   * <p>Earlier versions accepted events that this version's rules refuse as new input: an {@code
   * event_type} or {@code id} with other characters than ASCII letters, digits, {@code _}, {@code -} and
   * {@code .} (or longer), a string or {@code details} key with an unpaired surrogate, a number in {@code
   * details} beyond a double's range. Such an event was accepted and must still be delivered as it was,
   * so this builder's {@link Builder#details} and {@link Builder#build()} leave those rules out. They
   * keep every rule that an event's JSON form relies on: {@code event_type} and {@code entity_type}
   * required, an {@code id} not blank, string keys, numbers of at most {@value #MAX_DETAILS_NUMBER_LENGTH}
   * characters and not NaN or infinite, nesting at most {@value #MAX_DETAILS_DEPTH} levels, {@code
   * created_at} within the years a timestamp can spell. {@link #toBuilder()} of an event built this way
   * is such a builder too, so a store can restore the namespace it kept beside the payload.
   */
  public static Builder storedBuilder() {
    Builder b = new Builder();
    b.stored = true;
    return b;
  }

  /**
   * A builder that starts from this event, keeping its {@code id}; for an event read back from storage
   * ({@link #storedBuilder()}), one with the same rules.
   */
  public Builder toBuilder() {
    Builder b = (stored ? storedBuilder() : new Builder()).id(id).eventType(eventType).author(authorId, authorName)
        .entity(entityType, entityId, entityPath).target(targetId, targetType, targetDetails)
        .ipAddress(ipAddress).createdAt(createdAt);
    b.details = detailsCopy; // already an unmodifiable deep copy
    return namespaceExplicit ? b.namespace(namespace.orElse(null)) : b;
  }

  /** The stable identifier receivers deduplicate on. */
  public String id() {
    return id;
  }

  /** The event type, for example {@code user_created}; never null or blank. */
  public String eventType() {
    return eventType;
  }

  /** The host's id of the user who caused the event; {@code null} when unknown. */
  public Long authorId() {
    return authorId;
  }

  /** The name of the user who caused the event; {@code null} when unknown. */
  public String authorName() {
    return authorName;
  }

  /** The host's id of the entity the event is about; {@code null} when not given. */
  public Long entityId() {
    return entityId;
  }

  /** The type of the entity the event is about; never null. */
  public EntityType entityType() {
    return entityType;
  }

  /** The entity's full path, for example {@code my-group/sub/my-project}. */
  public String entityPath() {
    return entityPath;
  }

  /** The host's id of what was acted on; {@code null} when not given. */
  public Long targetId() {
    return targetId;
  }

  /** The type of what was acted on; {@code null} when not given. */
  public String targetType() {
    return targetType;
  }

  /** A human-readable description of what was acted on; {@code null} when not given. */
  public String targetDetails() {
    return targetDetails;
  }

  /** The IP address the action came from, as the host gave it; {@code null} when not given. */
  public String ipAddress() {
    return ipAddress;
  }

  /** When it happened, truncated to milliseconds (the payload's precision). */
  public Instant createdAt() {
    return createdAt;
  }

  /** Free-form details; unmodifiable. May carry {@code custom_message}. */
  public Map<String, Object> details() {
    return details;
  }

  /**
   * An upper bound of the size, in bytes, of this event's JSON payload (the UTF-8 form every
   * destination receives), found when it was built: the exact size of every string as JSON writes it
   * (a control character counted at its longest escape) plus the longest the other fields can be.
   * The engine compares it with its event size limit without encoding the event; at most {@link
   * Integer#MAX_VALUE}.
   */
  public int encodedSizeBound() {
    return encodedSizeBound;
  }

  /** The group or project the event belongs to, if any. */
  public Optional<Namespace> namespace() {
    return namespace;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AuditEvent e)) {
      return false;
    }
    return id.equals(e.id)
        && eventType.equals(e.eventType)
        && Objects.equals(authorId, e.authorId)
        && Objects.equals(authorName, e.authorName)
        && Objects.equals(entityId, e.entityId)
        && entityType == e.entityType
        && Objects.equals(entityPath, e.entityPath)
        && Objects.equals(targetId, e.targetId)
        && Objects.equals(targetType, e.targetType)
        && Objects.equals(targetDetails, e.targetDetails)
        && Objects.equals(ipAddress, e.ipAddress)
        && createdAt.equals(e.createdAt)
        && details.equals(e.details)
        && namespace.equals(e.namespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, eventType, createdAt);
  }

  @Override
  public String toString() {
    return "AuditEvent{id=" + id + ", eventType=" + eventType + ", entityType=" + entityType
        + ", entityPath=" + entityPath + ", createdAt=" + createdAt + "}";
  }

  /**
   * Builds an {@link AuditEvent}. {@code eventType} and {@code entityType} are required; {@code id}
   * defaults to a random UUID and {@code createdAt} to now. Not thread-safe.
   */
  public static final class Builder {
    private String id;
    private String eventType;
    private Long authorId;
    private String authorName;
    private Long entityId;
    private EntityType entityType;
    private String entityPath;
    private Long targetId;
    private String targetType;
    private String targetDetails;
    private String ipAddress;
    private Instant createdAt;
    private EventDetails.Copy details = EventDetails.Copy.EMPTY;
    private Namespace namespace;
    private boolean namespaceExplicit;
    private Clock clock = Clock.systemUTC();
    private boolean stored;

    private Builder() {}

    /**
     * The stable id; give the host's own id to keep it across host restarts. At most {@value
     * #MAX_ID_LENGTH} ASCII letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter
     * or digit (a UUID, {@code evt_123}), checked by {@link #build()}.
     */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * The event type, for example {@code user_created}; required. At most {@value
     * #MAX_EVENT_TYPE_LENGTH} ASCII letters, digits, {@code _}, {@code -} and {@code .}, starting with a
     * letter or digit, checked by {@link #build()}.
     */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /** Sets both {@code authorId} and {@code authorName}; either may be {@code null}. */
    public Builder author(Long authorId, String authorName) {
      this.authorId = authorId;
      this.authorName = authorName;
      return this;
    }

    /** The host's id of the user who caused the event; optional. */
    public Builder authorId(Long authorId) {
      this.authorId = authorId;
      return this;
    }

    /** The name of the user who caused the event; optional. */
    public Builder authorName(String authorName) {
      this.authorName = authorName;
      return this;
    }

    /** The entity the event is about: its type, id and full path. */
    public Builder entity(EntityType type, Long id, String path) {
      this.entityType = type;
      this.entityId = id;
      this.entityPath = path;
      return this;
    }

    /** The host's id of the entity; optional. */
    public Builder entityId(Long entityId) {
      this.entityId = entityId;
      return this;
    }

    /**
     * The type of the entity; required. With {@code entityPath}, a group or project type also supplies the
     * namespace unless {@link #namespace} was set.
     */
    public Builder entityType(EntityType entityType) {
      this.entityType = entityType;
      return this;
    }

    /**
     * The entity's full path, for example {@code my-group/sub/my-project}; optional. Used to derive the
     * namespace of a group or project event.
     */
    public Builder entityPath(String entityPath) {
      this.entityPath = entityPath;
      return this;
    }

    /** What was acted on: its id, type and a human-readable description. */
    public Builder target(Long id, String type, String details) {
      this.targetId = id;
      this.targetType = type;
      this.targetDetails = details;
      return this;
    }

    /** The host's id of what was acted on; optional. */
    public Builder targetId(Long targetId) {
      this.targetId = targetId;
      return this;
    }

    /** The type of what was acted on; optional. */
    public Builder targetType(String targetType) {
      this.targetType = targetType;
      return this;
    }

    /** A human-readable description of what was acted on; optional. */
    public Builder targetDetails(String targetDetails) {
      this.targetDetails = targetDetails;
      return this;
    }

    /** The IP address the action came from; optional and not checked. */
    public Builder ipAddress(String ipAddress) {
      this.ipAddress = ipAddress;
      return this;
    }

    /**
     * When it happened; defaults to the {@link #clock}'s now. Truncated to milliseconds by {@link #build()}.
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /** The clock that supplies {@code createdAt} when none is given. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Replaces the details; the map is deep-copied.
     *
     * @throws ValidationException naming the path of a key or value that breaks the rules of the class
     *     description
     */
    public Builder details(Map<String, ?> details) {
      this.details = EventDetails.copy(details, stored);
      return this;
    }

    /**
     * Adds one detail.
     *
     * @throws ValidationException naming the path of a key or value that breaks the rules of the class
     *     description, or a null key
     */
    public Builder detail(String key, Object value) {
      this.details = EventDetails.with(details, key, value);
      return this;
    }

    /** Sets {@code details.custom_message}. */
    public Builder customMessage(String message) {
      return detail("custom_message", message);
    }

    /**
     * The group or project the event belongs to. Needed when the entity is not itself a group or
     * project (a {@code User} event that happened in a group); {@code null} means none.
     */
    public Builder namespace(Namespace namespace) {
      this.namespace = namespace;
      this.namespaceExplicit = true;
      return this;
    }

    /**
     * Builds the event.
     *
     * @throws ValidationException when {@code eventType} or {@code entityType} is missing, the event
     *     type or id breaks its rule, a string holds an unpaired surrogate, a path is malformed, or
     *     {@code createdAt} lies beyond the years -999999999 to 999999999 (which no timestamp can spell);
     *     a detail that breaks its rules is refused when it is added
     */
    public AuditEvent build() {
      ValidationException.Collector v = ValidationException.collector();
      if (stored) {
        // The rules of the version that stored it (see storedBuilder()).
        v.check(eventType != null && !eventType.isBlank(), "event_type", "event_type is required");
        v.check(id == null || !id.isBlank(), "id", "id must not be blank when given");
      } else {
        EventText.checkEventType(v, eventType);
        EventText.checkId(v, id);
      }
      v.check(entityType != null, "entity_type", "entity_type is required (Group, Project or User)");
      long textBytes = EventText.freeTextBytes(v, stored, "author_name", authorName, "entity_path", entityPath,
          "target_type", targetType, "target_details", targetDetails, "ip_address", ipAddress);
      String theId = id != null ? id : UUID.randomUUID().toString();
      if (stored) {
        // Stored ids and types may hold any character: counted as JSON writes them.
        textBytes += EventText.jsonBytes("id", "id", theId, true)
            + (eventType == null ? 0 : EventText.jsonBytes("event_type", "event_type", eventType, true));
      } else {
        textBytes += theId.length() + 2 + (eventType == null ? 0 : eventType.length() + 2);
      }
      Instant when = (createdAt != null ? createdAt : clock.instant()).truncatedTo(ChronoUnit.MILLIS);
      v.check(EventText.inTimestampRange(when), "created_at", "created_at must lie within the years -999999999 to 999999999");
      v.throwIfAny();
      return new AuditEvent(this, theId, when,
          namespaceExplicit || entityPath == null ? namespace : entityType.namespaceAt(entityPath), textBytes);
    }
  }
}
