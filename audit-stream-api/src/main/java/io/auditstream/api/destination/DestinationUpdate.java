package io.auditstream.api.destination;

import java.util.Optional;

/**
 * A change to an existing destination: only the fields that are set change. {@code destinationUrl}
 * and {@code contentType} apply to HTTP destinations; {@code config} replaces the settings of any
 * kind (it must be of the destination's kind). The verification token can never be changed.
 *
 * <p>Immutable.
 */
public final class DestinationUpdate {
  private final String name;
  private final Boolean active;
  private final String destinationUrl;
  private final String contentType;
  private final DestinationConfig config;

  private DestinationUpdate(Builder b) {
    this.name = b.name;
    this.active = b.active;
    this.destinationUrl = b.destinationUrl;
    this.contentType = b.contentType;
    this.config = b.config;
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

  /** The new URL of an HTTP destination, if the update changes it. */
  public Optional<String> destinationUrl() {
    return Optional.ofNullable(destinationUrl);
  }

  /** The new content type of an HTTP destination, if the update changes it. */
  public Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  /** Settings that replace the destination's config, if given; they must be of the destination's kind. */
  public Optional<DestinationConfig> config() {
    return Optional.ofNullable(config);
  }

  @Override
  public String toString() {
    return "DestinationUpdate{name=" + name + ", active=" + active + ", destinationUrl=" + destinationUrl
        + ", contentType=" + contentType + ", config=" + config + "}";
  }

  /** Builds a {@link DestinationUpdate}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private Boolean active;
    private String destinationUrl;
    private String contentType;
    private DestinationConfig config;

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

    /** Changes an HTTP destination's URL; {@code null} (the default) leaves it unchanged. */
    public Builder destinationUrl(String destinationUrl) {
      this.destinationUrl = destinationUrl;
      return this;
    }

    /** Changes an HTTP destination's content type; {@code null} (the default) leaves it unchanged. */
    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    /**
     * Replaces the destination's settings; {@code null} (the default) leaves them unchanged. Applied before
     * {@code destinationUrl} and {@code contentType}.
     */
    public Builder config(DestinationConfig config) {
      this.config = config;
      return this;
    }

    /** The update; nothing is validated until it is applied to a destination. */
    public DestinationUpdate build() {
      return new DestinationUpdate(this);
    }
  }
}
