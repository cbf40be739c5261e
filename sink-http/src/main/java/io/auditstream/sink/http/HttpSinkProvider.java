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
 * token header, the event type header and the destination's active custom headers; or, when the
 * destination's {@link io.auditstream.api.destination.HttpBatching batching} is on, each batch as
 * NDJSON with the token, the custom headers and the batch headers.
 *
 * <p>Local network destinations (loopback, private, link-local, metadata addresses) are refused
 * unless {@link SinkContext#allowLocalNetwork()}: when a destination is saved ({@link
 * #validate(DestinationConfig, SinkContext)} resolves its host, as GitLab does, so the Owner learns at
 * once), and again before every request (or, on a transport that connects only to checked addresses,
 * on every connection), since what a name resolves to can change. A transport that cannot connect
 * only to the addresses it checked (the JDK's) leaves a DNS rebinding gap between the check and the
 * connection: the first sink made on one while local network destinations are refused logs one
 * {@code WARN} that says so and names the fix ({@code io.auditstream:sink-http-apache5}).
 *
 * <p>Transport: the sinks send through an {@link HttpTransport}, one per provider and {@link
 * SinkContext} settings, shared by all their sinks (one client, one connection pool, one set of I/O
 * threads) and closed when the last of those sinks closes; closing a sink never closes it for the
 * others. Which transport: see {@link HttpTransportProvider}.
 *
 * <p>Thread-safe.
 */
public final class HttpSinkProvider implements SinkProvider {
  /** How many deliveries of one HTTP destination may be in flight at once ({@link Sink#maxInFlight()}). */
  public static final int MAX_IN_FLIGHT = 16;

  private final Clock clock;
  private final HttpTransportProvider givenTransport;
  private final SharedTransports transports = new SharedTransports(this::transportProvider);
  private volatile HttpTransportProvider transportProvider;
  private final UnpinnedTransportWarning warning;

  /**
   * The provider that {@link java.util.ServiceLoader} instantiates: its sinks use an {@link
   * HttpTransportProvider} found on the class path, or the JDK's client when there is none.
   */
  public HttpSinkProvider() {
    this(null, Clock.systemUTC());
  }

  /**
   * A provider whose sinks use {@code transportProvider}, whatever is on the class path; add it with
   * the streamer builder's {@code addSinkProvider}.
   *
   * @throws NullPointerException when {@code transportProvider} is null
   */
  public HttpSinkProvider(HttpTransportProvider transportProvider) {
    this(Objects.requireNonNull(transportProvider, "transportProvider"), Clock.systemUTC());
  }

  /** With {@code clock} to measure {@code Retry-After} dates against; for tests. */
  HttpSinkProvider(Clock clock) {
    this(null, clock);
  }

  /** With {@code transportProvider} (null: chosen as the public constructor does) and {@code clock}; for tests. */
  HttpSinkProvider(HttpTransportProvider transportProvider, Clock clock) {
    this(transportProvider, clock, UnpinnedTransportWarning.JVM);
  }

  /** As {@link #HttpSinkProvider(HttpTransportProvider, Clock)}, warning through {@code warning}; for tests. */
  HttpSinkProvider(HttpTransportProvider transportProvider, Clock clock, UnpinnedTransportWarning warning) {
    this.givenTransport = transportProvider;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.warning = Objects.requireNonNull(warning, "warning");
  }

  /** The transport provider the sinks use, chosen (and logged) on first use. */
  HttpTransportProvider transportProvider() {
    HttpTransportProvider p = transportProvider;
    if (p == null) {
      synchronized (this) {
        p = transportProvider;
        if (p == null) {
          p = givenTransport != null ? TransportSelection.given(givenTransport)
              : TransportSelection.discover(HttpSinkProvider.class.getClassLoader());
          transportProvider = p;
        }
      }
    }
    return p;
  }

  /** How many transports are open now; for tests. */
  int openTransports() {
    return transports.openCount();
  }

  /** Returns {@link HttpDestinationConfig#DESTINATION_KIND}. */
  @Override
  public DestinationKind<HttpDestinationConfig> destinationKind() {
    return HttpDestinationConfig.DESTINATION_KIND;
  }

  /**
   * Checks that {@code config} is an {@link HttpDestinationConfig}, refuses a plain {@code http} URL
   * unless the context allows it ({@link SinkContext#plainHttpAllowed()}: the verification token would
   * travel in clear) and, unless the context allows local network destinations, refuses a host that
   * is or resolves to a local address ({@link
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
    NetworkAddressPolicy.validatePlainHttp(v, "destinationUrl", http.uri(), HttpSink.CREDENTIALS, context);
    NetworkAddressPolicy.validateHost(v, "destinationUrl", http.uri().getHost(), context);
    v.throwIfAny();
  }

  /**
   * Creates the sink of {@code destination}, on the transport shared by the sinks of this provider
   * with the same context settings (made now, with its threads, when there is none). Opens no
   * connection; the first delivery does.
   *
   * @throws ValidationException when the destination's config is not an HTTP config
   * @throws NullPointerException when an argument is null
   */
  @Override
  public Sink create(Destination destination, SinkContext context) {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(context, "context");
    HttpDestinationConfig config = HttpDestinationConfig.DESTINATION_KIND.cast(destination.config());
    SharedTransports.Lease lease = transports.acquire(context);
    try {
      HttpSink sink = new HttpSink(destination, config, context, lease, clock);
      warning.warnIfUnpinned(context.allowLocalNetwork(), lease.transport(), transportProvider().name());
      return sink;
    } catch (RuntimeException e) {
      lease.release();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "HttpSinkProvider{kind=" + kind() + "}";
  }
}
