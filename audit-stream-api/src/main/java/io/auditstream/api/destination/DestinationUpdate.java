package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import java.util.Optional;

/**
 * A change to an existing destination: only what is set changes. {@code config} replaces the
 * settings of the destination's kind (it must be of that kind); write-only secrets it leaves absent
 * or redacted keep their stored values, so the config a listing returned, edited, is a valid update.
 * The verification token can never be changed.
 *
 * <p>Immutable; {@link #toString()} shows the config as its own {@code toString} does (no secret,
 * no URL path or query).
 */
public final class DestinationUpdate {
  private final String name;
  private final Boolean active;
  private final DestinationConfig config;

  private DestinationUpdate(Builder b, DestinationConfig config) {
    this.name = b.name;
    this.active = b.active;
    this.config = config;
  }

  /** A new builder that changes nothing until a field is set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The new name, if the update changes it. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** The new active flag, if the update changes it. */
  public Optional<Boolean> active() {
    return Optional.ofNullable(active);
  }

  /** Settings that replace the destination's config, if given; they must be of the destination's kind. */
  public Optional<DestinationConfig> config() {
    return Optional.ofNullable(config);
  }

  @Override
  public String toString() {
    return "DestinationUpdate{name=" + name + ", active=" + active + ", config=" + config + "}";
  }

  /** Builds a {@link DestinationUpdate}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private Boolean active;
    private DestinationConfigBuilder<?> config;

    private Builder() {}

    /** Renames the destination; {@code null} (the default) leaves the name unchanged. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Turns streaming to the destination on or off; unset by default, which leaves the flag unchanged. */
    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    /** Replaces the destination's settings; {@code null} (the default) leaves them unchanged. */
    public Builder config(DestinationConfig config) {
      this.config = config == null ? null : () -> config;
      return this;
    }

    /**
     * Replaces the destination's settings with the config {@code config} builds when the update is
     * built, so that its violations and the update's own are reported together.
     */
    public Builder config(DestinationConfigBuilder<?> config) {
      this.config = config;
      return this;
    }

    /**
     * Builds the config (when given as a builder) and checks the name, reporting every violation at
     * once. What needs the destination (its kind, uniqueness) is checked when the update is applied.
     *
     * @throws ValidationException when the config breaks a rule or the name is blank or too long
     */
    public DestinationUpdate build() {
      ValidationException.Collector v = ValidationException.collector();
      DestinationConfig built = config == null ? null : DestinationConfigBuilder.buildInto(config, v);
      if (name != null) {
        Destination.Builder.validateName(v, name);
      }
      v.throwIfAny();
      return new DestinationUpdate(this, built);
    }
  }
}
