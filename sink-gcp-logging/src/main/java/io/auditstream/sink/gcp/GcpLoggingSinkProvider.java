package io.auditstream.sink.gcp;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
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
 * token server that is or resolves to a local address. Host names of overridden endpoints are
 * checked again before every delivery, since what a name resolves to can change.
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

  /** Returns {@link GcpLoggingDestinationConfig#DESTINATION_KIND}. */
  @Override
  public DestinationKind<GcpLoggingDestinationConfig> destinationKind() {
    return GcpLoggingDestinationConfig.DESTINATION_KIND;
  }

  /**
   * Checks that {@code config} is a Cloud Logging config whose private key, when present, is a
   * readable, unencrypted PKCS#8 RSA key (that one is present at all is its kind's rule), and, unless
   * the context allows local network destinations, refuses {@code plaintext} and an endpoint or
   * token server whose host is or resolves to a local address ({@link
   * NetworkAddressPolicy#validateHost}, with the context's resolver); every violation at once.
   * Resolving blocks the management call for each lookup, at most the context's connect timeout
   * (never the host's event path); a name that does not resolve now is accepted, and checked again
   * before every delivery.
   *
   * @throws ValidationException naming the field and the rule; never quotes the key
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    GcpLoggingDestinationConfig gcp = GcpLoggingDestinationConfig.DESTINATION_KIND.cast(config);
    ValidationException.Collector v = ValidationException.collector();
    gcp.privateKey().ifPresent(key -> {
      try {
        PrivateKeyPem.parse(key);
      } catch (ValidationException e) {
        v.addAll("", e);
      }
    });
    v.check(context.allowLocalNetwork() || !gcp.plaintext(), "plaintext", "plaintext is only for a local"
        + " Logging-compatible server and is refused unless the streamer is built with allowLocalNetwork(true)");
    gcp.endpointHost().ifPresent(host -> NetworkAddressPolicy.validateHost(v, "endpoint", host, context));
    gcp.tokenServerUri().ifPresent(uri -> {
      NetworkAddressPolicy.validatePlainHttp(v, "tokenServerUri", uri, GcpLoggingSink.TOKEN_CREDENTIALS, context);
      NetworkAddressPolicy.validateHost(v, "tokenServerUri", uri.getHost(), context);
    });
    v.throwIfAny();
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
    // Before any connection: gRPC's frame logger would print the bearer token of every call.
    CredentialLogging.guardGrpcFrames();
    return new GcpLoggingSink(GcpLoggingDestinationConfig.DESTINATION_KIND.cast(destination.config()), context, factory);
  }

  @Override
  public String toString() {
    return "GcpLoggingSinkProvider{kind=" + kind() + "}";
  }
}
