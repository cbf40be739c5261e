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
   * A copy fit for a listing: write-only secrets are left out or masked, and the copy only says that
   * one is set.
   * Kinds without write-only secrets return themselves.
   */
  default DestinationConfig redacted() {
    return this;
  }

  /**
   * This config with every write-only secret that it leaves unset taken from {@code previous}, the
   * config it replaces in an update; secrets it sets win. Lets an Owner change a destination's other
   * settings, or edit the redacted copy a listing returned, without handing its secret again.
   * Kinds without write-only secrets return themselves.
   *
   * @param previous the destination's current config, of the same kind
   */
  default DestinationConfig withSecretsFrom(DestinationConfig previous) {
    return this;
  }
}
