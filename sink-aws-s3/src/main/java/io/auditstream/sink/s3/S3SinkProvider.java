package io.auditstream.sink.s3;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
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
  /** The provider that {@link java.util.ServiceLoader} instantiates. */
  public S3SinkProvider() {}

  /** Returns {@value S3DestinationConfig#KIND}. */
  @Override
  public String kind() {
    return S3DestinationConfig.KIND;
  }

  /**
   * Checks that {@code config} is an {@link S3DestinationConfig} carrying its secret access key;
   * its own builder has checked the other fields. Does no I/O.
   *
   * @throws ValidationException on field {@code config} when it is of another kind, on {@code
   *     secretAccessKey} when the key is missing
   */
  @Override
  public void validate(DestinationConfig config) {
    S3DestinationConfig s3 = s3Config(config);
    if (s3.secretAccessKey().isEmpty()) {
      throw new ValidationException("secretAccessKey", "secretAccessKey is required");
    }
  }

  /**
   * Checks the config as {@link #validate(DestinationConfig)} does and, unless the context allows
   * local network destinations, refuses an endpoint whose host is or resolves to a local address.
   * Resolving blocks the management call for the DNS lookup (never the host's event path); a name
   * that does not resolve now is accepted, and checked again before every request.
   *
   * @throws ValidationException on field {@code endpoint}, naming the refused address and how to
   *     allow it
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    validate(config);
    S3DestinationConfig s3 = (S3DestinationConfig) config;
    if (context.allowLocalNetwork() || s3.endpointUri().isEmpty()) {
      return;
    }
    String host = s3.endpointUri().get().getHost();
    NetworkAddressPolicy.validateLiteralHost("endpoint", host);
    try {
      NetworkAddressPolicy.check(host, context.connectTimeout());
    } catch (DeliveryException e) {
      if (!e.isRetryable()) {
        throw new ValidationException("endpoint", "endpoint refused: " + e.getMessage());
      }
    }
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
    validate(destination.config());
    return new S3Sink(s3Config(destination.config()), context);
  }

  private static S3DestinationConfig s3Config(DestinationConfig config) {
    if (config instanceof S3DestinationConfig s3) {
      return s3;
    }
    throw new ValidationException("config", "config must be an S3 destination config (was kind '"
        + (config == null ? null : config.kind()) + "')");
  }

  @Override
  public String toString() {
    return "S3SinkProvider{kind=" + kind() + "}";
  }
}
