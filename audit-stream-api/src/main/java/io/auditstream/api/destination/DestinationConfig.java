package io.auditstream.api.destination;

/**
 * The settings that only one kind of destination has: the URL and headers of an HTTP endpoint, the
 * project and log of Google Cloud Logging, the bucket of AWS S3, or a plug-in's own settings.
 *
 * <p>Implementations are immutable. {@link #kind()} selects the {@link
 * io.auditstream.api.sink.SinkProvider} that delivers to the destination.
 */
public interface DestinationConfig {
  /** The kind of destination, for example {@code http}; matches {@code SinkProvider.kind()}. */
  String kind();

  /**
   * A copy fit for a listing: write-only secrets are replaced by a marker that only says one is set.
   * Kinds without write-only secrets return themselves.
   */
  default DestinationConfig redacted() {
    return this;
  }
}
