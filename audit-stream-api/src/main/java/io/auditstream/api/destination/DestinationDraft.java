package io.auditstream.api.destination;

import io.auditstream.api.Namespace;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an Owner asks for when adding a destination: the kind's settings, and optionally a name, a
 * verification token, the active flag and filters. The engine fills in the rest: a generated name
 * when none is given, a generated token when none is given, the id and timestamps.
 *
 * <p>Immutable; {@link #toString()} never shows the token.
 */
public final class DestinationDraft {
  private final DestinationConfig config;
  private final String name;
  private final Secret verificationToken;
  private final boolean active;
  private final Set<String> eventTypeFilter;
  private final Set<Namespace> namespaceFilter;
  private final Secret signingSecret;

  private DestinationDraft(Builder b) {
    this.config = b.config;
    this.name = b.name;
    this.verificationToken = b.verificationToken;
    this.active = b.active;
    this.eventTypeFilter = Set.copyOf(b.eventTypeFilter);
    this.namespaceFilter = Set.copyOf(b.namespaceFilter);
    this.signingSecret = b.signingSecret;
  }

  /** A draft for destinations of any kind. */
  public static Builder builder(DestinationConfig config) {
    Objects.requireNonNull(config, "config");
    return new Builder(() -> config);
  }

  /**
   * A draft whose config is built by {@link Builder#build()}, so that the config's violations and the
   * draft's own are reported together.
   */
  public static Builder builder(DestinationConfigBuilder<?> config) {
    return new Builder(Objects.requireNonNull(config, "config"));
  }

  /** A draft for an HTTP destination with the default content type and no headers. */
  public static Builder http(String destinationUrl) {
    return builder(HttpDestinationConfig.builder().destinationUrl(destinationUrl));
  }

  /** The settings of the destination's kind; never null. */
  public DestinationConfig config() {
    return config;
  }

  /** The name, unless the engine should generate one. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The token, unless the engine should generate one. */
  public Optional<Secret> verificationToken() {
    return Optional.ofNullable(verificationToken);
  }

  /** Whether the destination starts out active; {@code true} unless the draft says otherwise. */
  public boolean active() {
    return active;
  }

  /** The event types the destination should receive; empty means all. Unmodifiable. */
  public Set<String> eventTypeFilter() {
    return eventTypeFilter;
  }

  /** The subgroups and projects the destination should receive events of; empty means all. Unmodifiable. */
  public Set<Namespace> namespaceFilter() {
    return namespaceFilter;
  }

  /** The secret that signs what the destination sends ({@link WebhookSigning}), unless it starts unsigned. */
  public Optional<Secret> signingSecret() {
    return Optional.ofNullable(signingSecret);
  }

  @Override
  public String toString() {
    return "DestinationDraft{name=" + name + ", config=" + config + ", active=" + active
        + ", eventTypeFilter=" + eventTypeFilter + ", namespaceFilter=" + namespaceFilter
        + ", signing=" + (signingSecret == null ? "off" : "on") + "}";
  }

  /** Builds a {@link DestinationDraft}. Not thread-safe. */
  public static final class Builder {
    private final DestinationConfigBuilder<?> configBuilder;
    private DestinationConfig config;
    private String name;
    private Secret verificationToken;
    private boolean active = true;
    private final Set<String> eventTypeFilter = new TreeSet<>();
    private final Set<Namespace> namespaceFilter = new java.util.HashSet<>();
    private Secret signingSecret;

    private Builder(DestinationConfigBuilder<?> configBuilder) {
      this.configBuilder = configBuilder;
    }

    /**
     * The name; {@code null} (the default) lets the engine generate one. Checked when the destination is
     * created, not here.
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** A token of 16 to 24 characters; it can never be changed afterwards. */
    public Builder verificationToken(String verificationToken) {
      this.verificationToken = verificationToken == null ? null : Secret.of(verificationToken);
      return this;
    }

    /** Whether the destination starts out active; defaults to {@code true}. */
    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    /**
     * Replaces the event-type filter; empty (the default) means all types. Throws {@link
     * NullPointerException} for a null collection or entry.
     */
    public Builder eventTypeFilter(Collection<String> eventTypes) {
      eventTypeFilter.clear();
      eventTypeFilter.addAll(eventTypes);
      return this;
    }

    /**
     * Replaces the event-type filter with {@code eventTypes}, as {@link #eventTypeFilter(Collection)}
     * does: {@code eventTypeFilter("project_created", "member_created")}; none means all types. Throws
     * {@link NullPointerException} for a null array or entry.
     */
    public Builder eventTypeFilter(String... eventTypes) {
      return eventTypeFilter(List.of(eventTypes));
    }

    /**
     * Replaces the namespace filter; empty (the default) means all namespaces of the group. Checked when the
     * destination is created. Throws {@link NullPointerException} for a null collection.
     */
    public Builder namespaceFilter(Collection<Namespace> namespaces) {
      namespaceFilter.clear();
      namespaceFilter.addAll(namespaces);
      return this;
    }

    /**
     * Replaces the namespace filter with {@code namespaces}, as {@link #namespaceFilter(Collection)}
     * does: {@code namespaceFilter(Namespace.group("acme/platform"), Namespace.project("acme/web"))}; none
     * means all namespaces of the group. Throws {@link NullPointerException} for a null array or entry.
     */
    public Builder namespaceFilter(Namespace... namespaces) {
      return namespaceFilter(List.of(namespaces));
    }

    /**
     * Signs what the destination sends with {@code signingSecret} ({@value WebhookSigning#SECRET_PREFIX}
     * and the base64 of {@value WebhookSigning#MIN_KEY_BYTES} to {@value WebhookSigning#MAX_KEY_BYTES}
     * random bytes); {@code null} (the default) leaves signing off.
     */
    public Builder signingSecret(String signingSecret) {
      this.signingSecret = signingSecret == null ? null : Secret.of(signingSecret);
      return this;
    }

    /**
     * Builds the config (when given as a builder) and checks what the draft alone can check: every
     * violation is reported at once, each naming its field.
     *
     * @throws ValidationException when the config breaks a rule, the given name is blank or longer
     *     than {@value Destination#MAX_NAME_LENGTH} characters, or the given token is not 16 to 24
     *     visible ASCII characters, or the given signing secret breaks its rule
     */
    public DestinationDraft build() {
      ValidationException.Collector v = ValidationException.collector();
      config = DestinationConfigBuilder.buildInto(configBuilder, v);
      if (name != null) {
        Destination.Builder.validateName(v, name);
      }
      if (verificationToken != null) {
        Destination.Builder.validateToken(v, verificationToken);
      }
      if (signingSecret != null) {
        WebhookSigning.validateSecret(v, WebhookSigning.FIELD, signingSecret);
      }
      v.throwIfAny();
      return new DestinationDraft(this);
    }
  }
}
