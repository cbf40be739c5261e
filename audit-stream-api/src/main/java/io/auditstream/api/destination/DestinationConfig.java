package io.auditstream.api.destination;

/**
 * The settings that only one kind of destination has: the URL and headers of an HTTP endpoint, the
 * project and log of Google Cloud Logging, the bucket of AWS S3, or the settings of a kind a host
 * writes.
 *
 * <p>Implementations are immutable and thread-safe, never show a secret in {@code toString}, and
 * implement {@code equals} over every setting, secrets included. Their {@link #destinationKind()}
 * brings everything else the engine needs (storage, uniqueness, secrets, validation).
 */
public interface DestinationConfig {
  /** The contract of the config's kind. */
  DestinationKind<?> destinationKind();

  /** The name of the config's kind, for example {@code http}; matches {@code SinkProvider.kind()}. */
  default String kind() {
    return destinationKind().name();
  }
}
