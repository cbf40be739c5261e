package io.auditstream.sink.gcp;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.util.Objects;

/**
 * The {@link SinkProvider} of Google Cloud Logging destinations (kind {@value
 * GcpLoggingDestinationConfig#KIND}), found through {@link java.util.ServiceLoader}. Its sinks
 * write one log entry per event with the official {@code google-cloud-logging} client,
 * authenticated as the destination's service account.
 *
 * <p>When a destination is saved it checks that the private key is there and is a readable
 * PKCS#8 RSA key (messages never echo it), and, unless {@link SinkContext#allowLocalNetwork()}:
 * refuses a {@code plaintext} destination (it is for local test doubles only) and an endpoint or
 * token server given as a local IP literal. Host names of overridden endpoints are checked again
 * before every delivery.
 *
 * <p>Stateless and thread-safe.
 */
public final class GcpLoggingSinkProvider implements SinkProvider {
  private final LoggingClientFactory factory;

  /** The provider that {@link java.util.ServiceLoader} instantiates: TLS with the JDK's default trust. */
  public GcpLoggingSinkProvider() {
    this(new LoggingClientFactory());
  }

  /** With {@code factory} to make clients, for tests that trust their own certificate. */
  GcpLoggingSinkProvider(LoggingClientFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** Returns {@value GcpLoggingDestinationConfig#KIND}. */
  @Override
  public String kind() {
    return GcpLoggingDestinationConfig.KIND;
  }

  /**
   * Checks that {@code config} is a Cloud Logging config with a private key (unless plaintext) that
   * is a readable, unencrypted PKCS#8 RSA key. Does no I/O.
   *
   * @throws ValidationException on {@code config} for another kind, on {@code privateKey} when it is
   *     missing or unreadable; the message says how to fix it and never quotes the key
   */
  @Override
  public void validate(DestinationConfig config) {
    GcpLoggingDestinationConfig gcp = gcpConfig(config);
    if (gcp.privateKey().isPresent()) {
      PrivateKeyPem.parse(gcp.privateKey().get());
    } else if (!gcp.plaintext()) {
      throw new ValidationException(PrivateKeyPem.FIELD, "privateKey is required: the private_key of the service"
          + " account's JSON key file");
    }
  }

  /**
   * Checks as {@link #validate(DestinationConfig)} does and, unless the context allows local network
   * destinations, refuses {@code plaintext} and an endpoint or token server whose host is a local IP
   * literal. Does no DNS lookup: names are checked before every delivery.
   *
   * @throws ValidationException naming the field and the rule
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    validate(config);
    GcpLoggingDestinationConfig gcp = (GcpLoggingDestinationConfig) config;
    if (context.allowLocalNetwork()) {
      return;
    }
    ValidationException.Collector v = ValidationException.collector();
    v.check(!gcp.plaintext(), "plaintext", "plaintext is only for a local Logging-compatible server and is refused"
        + " unless the streamer is built with allowLocalNetwork(true)");
    gcp.endpointHost().ifPresent(host -> literal(v, "endpoint", host));
    gcp.tokenServerUri().ifPresent(uri -> literal(v, "tokenServerUri", uri.getHost()));
    v.throwIfAny();
  }

  private static void literal(ValidationException.Collector v, String field, String host) {
    try {
      NetworkAddressPolicy.validateLiteralHost(field, host);
    } catch (ValidationException e) {
      v.addAll("", e);
    }
  }

  /**
   * Creates the sink of {@code destination}. Opens no connection and fetches no token; the first
   * delivery does.
   *
   * @throws ValidationException when the destination's config is not a Cloud Logging config
   * @throws NullPointerException when an argument is null
   */
  @Override
  public Sink create(Destination destination, SinkContext context) {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(context, "context");
    return new GcpLoggingSink(gcpConfig(destination.config()), context, factory);
  }

  private static GcpLoggingDestinationConfig gcpConfig(DestinationConfig config) {
    if (config instanceof GcpLoggingDestinationConfig gcp) {
      return gcp;
    }
    throw new ValidationException("config", "config must be a Google Cloud Logging destination config (was kind '"
        + (config == null ? null : config.kind()) + "')");
  }

  @Override
  public String toString() {
    return "GcpLoggingSinkProvider{kind=" + kind() + "}";
  }
}
