package io.auditstream.api.destination;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.LogText;
import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A streaming destination of a top-level group: its identity, name, active flag, paused state,
 * verification token, filters, and the settings of its kind ({@link DestinationConfig}).
 *
 * <p>Two switches stop delivery, for different reasons. An <em>inactive</em> destination ({@link
 * #active()} false) is switched off: new events are not routed to it. A <em>paused</em> destination
 * ({@link #pausedReason()} present) still has events routed to it, which wait in its backlog (bounded,
 * and aging out into dead letters as any backlog does), but nothing is delivered until it is resumed;
 * an Owner pauses it, or the engine does after sustained failure.
 *
 * <p>Rules checked by {@link Builder#build()}: {@code groupPath} is a top-level group; {@code name}
 * is 1 to {@value #MAX_NAME_LENGTH} characters; {@code verificationToken} is {@value
 * #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} characters; a paused reason is 1 to {@value
 * #MAX_PAUSED_REASON_LENGTH} characters and not blank; every namespace filter names a subgroup or
 * project of the group. A name or paused reason with a line break or other control character ({@link
 * LogText}) is refused when it is saved (by {@link Builder#validateName}, drafts, updates and destination
 * management), not when a destination is built, so that one stored before that rule still loads.
 *
 * <p>Listings show a destination {@linkplain #redacted() redacted}: without its verification token
 * ({@link #verificationToken()} empty) and without the write-only secrets of its config. Owners read
 * the token through its own call ({@code DestinationService.verificationToken}).
 *
 * <p>Filters: an empty filter lets everything through; with both filters set, an event must pass
 * both; a group in the namespace filter covers its subgroups and their projects ({@link
 * #wants(AuditEvent)}).
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the token or other secrets.
 */
public final class Destination {
  /** The longest a destination's name may be, in characters. */
  public static final int MAX_NAME_LENGTH = 72;
  /** The fewest characters a verification token may have. */
  public static final int MIN_TOKEN_LENGTH = 16;
  /** The most characters a verification token may have. */
  public static final int MAX_TOKEN_LENGTH = 24;
  /** The most characters the reason of a pause may have. */
  public static final int MAX_PAUSED_REASON_LENGTH = 1000;

  private static final Comparator<Namespace> BY_PATH =
      Comparator.comparing(Namespace::fullPath).thenComparing(Namespace::kind);

  private final DestinationId id;
  private final String groupPath;
  private final String name;
  private final boolean active;
  private final String pausedReason;
  private final Secret verificationToken;
  private final DestinationConfig config;
  private final Set<String> eventTypeFilter;
  private final Set<Namespace> namespaceFilter;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final WebhookSigning signing;

  private Destination(Builder b) {
    this.id = b.id;
    this.groupPath = b.groupPath;
    this.name = b.name;
    this.active = b.active;
    this.pausedReason = b.pausedReason;
    this.verificationToken = b.verificationToken;
    this.config = b.config;
    this.eventTypeFilter = Collections.unmodifiableSet(new TreeSet<>(b.eventTypeFilter));
    TreeSet<Namespace> ns = new TreeSet<>(BY_PATH);
    ns.addAll(b.namespaceFilter);
    this.namespaceFilter = Collections.unmodifiableSet(ns);
    this.createdAt = b.createdAt;
    this.updatedAt = b.updatedAt == null ? b.createdAt : b.updatedAt;
    this.signing = b.signing;
  }

  /** A new, empty builder; {@code active} defaults to {@code true} and the filters to empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this destination, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.groupPath = groupPath;
    b.name = name;
    b.active = active;
    b.pausedReason = pausedReason;
    b.verificationToken = verificationToken;
    b.config = config;
    b.eventTypeFilter.addAll(eventTypeFilter);
    b.namespaceFilter.addAll(namespaceFilter);
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    b.signing = signing;
    return b;
  }

  /** The identifier, never null and never changed. */
  public DestinationId id() {
    return id;
  }

  /** The full path of the top-level group that owns this destination. */
  public String groupPath() {
    return groupPath;
  }

  /** The name shown to Owners, unique within the group; 1 to {@value #MAX_NAME_LENGTH} characters. */
  public String name() {
    return name;
  }

  /** The kind of the destination ({@code http}, ...), from its config. */
  public String kind() {
    return config.kind();
  }

  /** Whether events are streamed to it. An inactive destination keeps its settings. */
  public boolean active() {
    return active;
  }

  /**
   * Why the destination is paused, when it is: events are still routed to it and wait in its backlog,
   * but none is delivered until it is resumed. Empty when it is not paused.
   */
  public Optional<String> pausedReason() {
    return Optional.ofNullable(pausedReason);
  }

  /** Whether the destination is paused: {@link #pausedReason()} is present. */
  public boolean paused() {
    return pausedReason != null;
  }

  /**
   * The token sent with every event so receivers can check where it came from; empty on a {@linkplain
   * #redacted() redacted} destination, as listings show it.
   */
  public Optional<Secret> verificationToken() {
    return Optional.ofNullable(verificationToken);
  }

  /** Whether this is a {@linkplain #redacted() redacted} copy, without its verification token. */
  public boolean isRedacted() {
    return verificationToken == null;
  }

  /** The settings of the destination's kind, including any secrets (see {@link #redacted()}). */
  public DestinationConfig config() {
    return config;
  }

  /** The event types it receives; empty means all. Sorted. */
  public Set<String> eventTypeFilter() {
    return eventTypeFilter;
  }

  /** The subgroups and projects it receives events of; empty means all. Sorted by path. */
  public Set<Namespace> namespaceFilter() {
    return namespaceFilter;
  }

  /** Whether any filter is set (GitLab shows such a destination as "filtered"). */
  public boolean filtered() {
    return !eventTypeFilter.isEmpty() || !namespaceFilter.isEmpty();
  }

  /** When the destination was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When the destination was last changed; equals {@link #createdAt()} if it never was. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /** Whether and with which secrets requests are signed ({@link WebhookSigning}); off unless set. */
  public WebhookSigning signing() {
    return signing;
  }

  /**
   * Whether this destination receives {@code event}: it is active, the event belongs to its group,
   * and it passes both filters. A paused destination receives events too: they wait in its backlog.
   */
  public boolean wants(AuditEvent event) {
    if (!active || event.namespace().isEmpty()) {
      return false;
    }
    Namespace ns = event.namespace().get();
    if (!ns.topLevelGroup().equals(groupPath)) {
      return false;
    }
    if (!eventTypeFilter.isEmpty() && !eventTypeFilter.contains(event.eventType())) {
      return false;
    }
    return namespaceFilter.isEmpty() || namespaceFilter.stream().anyMatch(f -> covers(f, ns));
  }

  /** A group filter covers itself and everything below it; a project filter only that project. */
  private static boolean covers(Namespace filter, Namespace ns) {
    return filter.kind() == Namespace.Kind.GROUP ? ns.isWithin(filter.fullPath()) : ns.fullPath().equals(filter.fullPath());
  }

  /**
   * This destination as a listing shows it: without its verification token, with the write-only secrets
   * of its config redacted (header values and other settings an Owner may read stay), and with its
   * signing secrets redacted (only whether it signs, or rotates, shows). A redacted destination cannot be
   * built again from its {@link #toBuilder()} without setting a token, and a store refuses to save it.
   */
  public Destination redacted() {
    if (isRedacted()) {
      return this;
    }
    Builder b = toBuilder().config(DestinationConfigs.redacted(config)).signing(signing.redacted());
    b.verificationToken = null;
    // Every other field was checked when this destination was built; only the token is left out.
    return new Destination(b);
  }

  /** Whether destinations of its kind can be delivered to with what is on the classpath. */
  public boolean available() {
    return config.destinationKind().available();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Destination d
        && id.equals(d.id)
        && groupPath.equals(d.groupPath)
        && name.equals(d.name)
        && active == d.active
        && Objects.equals(pausedReason, d.pausedReason)
        && Objects.equals(verificationToken, d.verificationToken)
        && config.equals(d.config)
        && eventTypeFilter.equals(d.eventTypeFilter)
        && namespaceFilter.equals(d.namespaceFilter)
        && createdAt.equals(d.createdAt)
        && updatedAt.equals(d.updatedAt)
        && signing.equals(d.signing);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Destination{id=" + id + ", group=" + groupPath + ", name=" + name + ", kind=" + kind()
        + ", active=" + active + (pausedReason == null ? "" : ", pausedReason=" + pausedReason)
        + ", config=" + config + ", eventTypeFilter=" + eventTypeFilter
        + ", namespaceFilter=" + namespaceFilter + ", signing=" + signing + "}";
  }

  /** Builds a {@link Destination}. Not thread-safe. */
  public static final class Builder {
    private DestinationId id;
    private String groupPath;
    private String name;
    private boolean active = true;
    private String pausedReason;
    private Secret verificationToken;
    private DestinationConfig config;
    private final Set<String> eventTypeFilter = new TreeSet<>();
    private final Set<Namespace> namespaceFilter = new TreeSet<>(BY_PATH);
    private Instant createdAt;
    private Instant updatedAt;
    private WebhookSigning signing = WebhookSigning.off();

    private Builder() {}

    /** The identifier; required. */
    public Builder id(DestinationId id) {
      this.id = id;
      return this;
    }

    /** The full path of the owning top-level group; required, and must have a single segment. */
    public Builder groupPath(String groupPath) {
      this.groupPath = groupPath;
      return this;
    }

    /** The name; required, 1 to {@value #MAX_NAME_LENGTH} characters and not blank. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Whether events are streamed to the destination; defaults to {@code true}. */
    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    /**
     * Pauses the destination, saying why: events are still routed to it but none is delivered until
     * {@link #resumed()}. The reason must be 1 to {@value #MAX_PAUSED_REASON_LENGTH} characters and not
     * blank. Not paused by default.
     */
    public Builder paused(String reason) {
      this.pausedReason = Objects.requireNonNull(reason, "reason");
      return this;
    }

    /** Resumes the destination: it is not paused (the default). */
    public Builder resumed() {
      this.pausedReason = null;
      return this;
    }

    /**
     * The verification token; required, {@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH}
     * visible ASCII characters.
     */
    public Builder verificationToken(Secret verificationToken) {
      this.verificationToken = verificationToken;
      return this;
    }

    /** The settings of the destination's kind; required. */
    public Builder config(DestinationConfig config) {
      this.config = config;
      return this;
    }

    /** Replaces the event-type filter; empty means all types. */
    public Builder eventTypeFilter(Collection<String> eventTypes) {
      this.eventTypeFilter.clear();
      this.eventTypeFilter.addAll(eventTypes);
      return this;
    }

    /**
     * Replaces the event-type filter with {@code eventTypes}, as {@link #eventTypeFilter(Collection)} does;
     * none means all types. Throws {@link NullPointerException} for a null array or entry.
     */
    public Builder eventTypeFilter(String... eventTypes) {
      return eventTypeFilter(List.of(eventTypes));
    }

    /** Replaces the namespace filter; empty means all namespaces of the group. */
    public Builder namespaceFilter(Collection<Namespace> namespaces) {
      this.namespaceFilter.clear();
      this.namespaceFilter.addAll(namespaces);
      return this;
    }

    /**
     * Replaces the namespace filter with {@code namespaces}, as {@link #namespaceFilter(Collection)} does;
     * none means all namespaces of the group. Throws {@link NullPointerException} for a null array or entry.
     */
    public Builder namespaceFilter(Namespace... namespaces) {
      return namespaceFilter(List.of(namespaces));
    }

    /** When the destination was created; required. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /** When it was last changed; defaults to {@code createdAt} when not set. */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    /** Whether and with which secrets requests are signed; {@link WebhookSigning#off()} by default. */
    public Builder signing(WebhookSigning signing) {
      this.signing = Objects.requireNonNull(signing, "signing");
      return this;
    }

    /**
     * @throws ValidationException naming each field that breaks a rule
     */
    public Destination build() {
      ValidationException.Collector v = ValidationException.collector();
      v.check(id != null, "id", "id is required");
      if (groupPath == null) {
        v.add("groupPath", "groupPath is required");
      } else {
        try {
          Namespace.validatePath("groupPath", groupPath);
          v.check(!groupPath.contains("/"), "groupPath",
              "groupPath must be a top-level group: streaming destinations belong to top-level groups only (was "
                  + groupPath + ")");
        } catch (ValidationException e) {
          v.addAll("", e);
        }
      }
      checkNameLength(v, name);
      validateToken(v, verificationToken);
      if (pausedReason != null) {
        validatePausedReason(v, pausedReason);
      }
      v.check(config != null, "config", "config is required");
      v.check(createdAt != null, "createdAt", "createdAt is required");
      for (String type : eventTypeFilter) {
        v.check(type != null && !type.isBlank() && type.length() <= 255, "eventTypeFilter",
            "eventTypeFilter entries must be 1 to 255 characters");
      }
      for (Namespace ns : namespaceFilter) {
        v.check(groupPath == null || ns.fullPath().startsWith(groupPath + "/"), "namespaceFilter",
            "namespaceFilter must name a subgroup or project of " + groupPath + " (was " + ns.fullPath() + ")");
      }
      v.throwIfAny();
      return new Destination(this);
    }

    /**
     * Checks a destination's name: 1 to {@value #MAX_NAME_LENGTH} characters, not blank, no line break or
     * other control character.
     */
    public static void validateName(ValidationException.Collector v, String name) {
      checkNameLength(v, name);
      validateNoControlCharacters(v, "name", name);
    }

    /**
     * Checks text an Owner saves that is shown and logged on one line (a name, a paused reason): no line
     * break or other control character ({@link LogText#hasControlCharacters}).
     */
    public static void validateNoControlCharacters(ValidationException.Collector v, String field, String text) {
      v.check(!LogText.hasControlCharacters(text), field,
          field + " must not contain line breaks or other control characters");
    }

    private static void checkNameLength(ValidationException.Collector v, String name) {
      v.check(name != null && !name.isBlank() && name.length() <= MAX_NAME_LENGTH, "name",
          "name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank (was "
              + (name == null ? 0 : name.length()) + ")");
    }

    /** Checks the reason of a pause: 1 to {@value #MAX_PAUSED_REASON_LENGTH} characters, not blank. */
    private static void validatePausedReason(ValidationException.Collector v, String reason) {
      v.check(reason != null && !reason.isBlank() && reason.length() <= MAX_PAUSED_REASON_LENGTH, "pausedReason",
          "pausedReason must be 1 to " + MAX_PAUSED_REASON_LENGTH + " characters and not blank (was "
              + (reason == null ? 0 : reason.length()) + ")");
    }

    /** Checks a verification token's length; the message never shows the token. */
    public static void validateToken(ValidationException.Collector v, Secret token) {
      if (token == null) {
        v.add("verificationToken", "verificationToken is required");
      } else {
        v.check(token.length() >= MIN_TOKEN_LENGTH && token.length() <= MAX_TOKEN_LENGTH
                && token.reveal().chars().noneMatch(c -> c < 0x21 || c > 0x7e),
            "verificationToken", "verificationToken must be " + MIN_TOKEN_LENGTH + " to " + MAX_TOKEN_LENGTH
                + " visible ASCII characters (was " + token.length() + " characters)");
      }
    }
  }
}
