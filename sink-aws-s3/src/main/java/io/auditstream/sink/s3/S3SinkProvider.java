package io.auditstream.sink.s3;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.util.Objects;

/**
 * The {@link SinkProvider} of AWS S3 destinations (kind {@value S3DestinationConfig#KIND}), found
 * through {@link java.util.ServiceLoader}. Its sinks write each event as one JSON object to the
 * destination's bucket, under the key {@link S3ObjectKeys#keyOf} gives.
 *
 * <p>An endpoint override (an S3-compatible store) on the local network (loopback, private,
 * link-local, metadata addresses) is refused unless {@link SinkContext#allowLocalNetwork()}: when
 * the destination is saved, and again before every request, since what a name resolves to can
 * change. AWS's own endpoints need no such check.
 *
 * <p>Stateless and thread-safe.
 */
public final class S3SinkProvider implements SinkProvider {
  /** What a request to an S3 endpoint carries that must not travel in clear, for messages. */
  static final String CREDENTIALS = "requests signed with the access key, and the events,";

  /** The provider that {@link java.util.ServiceLoader} instantiates. */
  public S3SinkProvider() {}

  /** Returns {@value S3DestinationConfig#KIND}. */
  @Override
  public DestinationKind<S3DestinationConfig> destinationKind() {
    return S3DestinationConfig.DESTINATION_KIND;
  }

  /**
   * Checks that {@code config} is an {@link S3DestinationConfig} (its kind requires the secret access
   * key) and, unless the context allows local network destinations, refuses an endpoint whose host
   * is or resolves to a local address ({@link NetworkAddressPolicy#validateHost}, with the context's
   * resolver). Resolving blocks the management call for the lookup, at most the context's connect
   * timeout (never the host's event path); a name that does not resolve now is accepted, and
   * checked again before every request.
   *
   * @throws ValidationException on field {@code config} when it is of another kind; otherwise on
   *     {@code endpoint}, naming the refused address and how to allow it
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    S3DestinationConfig s3 = S3DestinationConfig.DESTINATION_KIND.cast(config);
    ValidationException.Collector v = ValidationException.collector();
    s3.endpointUri().ifPresent(uri -> {
      NetworkAddressPolicy.validatePlainHttp(v, "endpoint", uri, CREDENTIALS, context);
      NetworkAddressPolicy.validateHost(v, "endpoint", uri.getHost(), context);
    });
    v.throwIfAny();
  }

  /**
   * Creates the sink of {@code destination}, with its own S3 client. Opens no connection; the first
   * delivery does.
   *
   * @throws ValidationException when the config is not an S3 config or lacks its secret access key
   * @throws NullPointerException when an argument is null
   */
  @Override
  public Sink create(Destination destination, SinkContext context) {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(context, "context");
    S3DestinationConfig s3 = S3DestinationConfig.DESTINATION_KIND.cast(destination.config());
    if (s3.secretAccessKey().isEmpty()) {
      throw new ValidationException("secretAccessKey", "secretAccessKey is required: a sink needs the key itself,"
          + " not a redacted copy");
    }
    return new S3Sink(s3, context);
  }

  @Override
  public String toString() {
    return "S3SinkProvider{kind=" + kind() + "}";
  }
}
