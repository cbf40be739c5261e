package io.auditstream.sink.http;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.time.Clock;
import java.util.Objects;

/**
 * The {@link SinkProvider} of HTTP destinations (kind {@value HttpDestinationConfig#KIND}), found
 * through {@link java.util.ServiceLoader}. Its sinks POST each event as JSON with the verification
 * token header, the event type header and the destination's active custom headers.
 *
 * <p>Local network destinations (loopback, private, link-local, metadata addresses) are refused
 * unless {@link SinkContext#allowLocalNetwork()}: when a destination is saved ({@link
 * #validate(DestinationConfig, SinkContext)} resolves its host, as GitLab does, so the Owner learns at
 * once), and again before every request, since what a name resolves to can change.
 *
 * <p>Stateless and thread-safe.
 */
public final class HttpSinkProvider implements SinkProvider {
  private final Clock clock;

  /** The provider that {@link java.util.ServiceLoader} instantiates. */
  public HttpSinkProvider() {
    this(Clock.systemUTC());
  }

  /** With {@code clock} to measure {@code Retry-After} dates against; for tests. */
  HttpSinkProvider(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Returns {@link HttpDestinationConfig#DESTINATION_KIND}. */
  @Override
  public DestinationKind<HttpDestinationConfig> destinationKind() {
    return HttpDestinationConfig.DESTINATION_KIND;
  }

  /**
   * Checks that {@code config} is an {@link HttpDestinationConfig} and, unless the context allows
   * local network destinations, refuses a host that is or resolves to a local address ({@link
   * NetworkAddressPolicy#validateHost}, with the context's resolver). Resolving blocks the
   * management call for the lookup, at most the context's connect timeout (never the host's event
   * path); a name that does not resolve now is accepted, and checked again before every request.
   *
   * @throws ValidationException on field {@code config} when it is of another kind; on field {@code
   *     destinationUrl}, naming the refused address and how to allow it, never the URL's path or query
   */
  @Override
  public void validate(DestinationConfig config, SinkContext context) {
    HttpDestinationConfig http = HttpDestinationConfig.DESTINATION_KIND.cast(config);
    ValidationException.Collector v = ValidationException.collector();
    NetworkAddressPolicy.validateHost(v, "destinationUrl", http.uri().getHost(), context);
    v.throwIfAny();
  }

  /**
   * Creates the sink of {@code destination}. Opens no connection; the first delivery does.
   *
   * @throws ValidationException when the destination's config is not an HTTP config
   * @throws NullPointerException when an argument is null
   */
  @Override
  public Sink create(Destination destination, SinkContext context) {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(context, "context");
    return new HttpSink(destination, HttpDestinationConfig.DESTINATION_KIND.cast(destination.config()), context, clock);
  }

  @Override
  public String toString() {
    return "HttpSinkProvider{kind=" + kind() + "}";
  }
}
