package io.auditstream.sink.http.apache5;

import io.auditstream.api.sink.SinkContext;
import io.auditstream.sink.http.HttpTransport;
import io.auditstream.sink.http.HttpTransportProvider;
import java.util.Objects;

/**
 * The HTTP transport on Apache HttpClient 5's asynchronous client: with this artifact ({@code
 * io.auditstream:sink-http-apache5}) on the class path, HTTP destinations use it instead of the JDK's
 * client, found through {@link java.util.ServiceLoader}; a host may also pass it to {@code new
 * HttpSinkProvider(new ApacheHttpTransportProvider())}.
 *
 * <p>Each transport is one {@code CloseableHttpAsyncClient}: one I/O reactor (daemon threads named
 * {@code audit-stream-http-apache5-T-N}, T numbering the transport), HTTP/1.1 only, a connection pool of {@value
 * #MAX_CONNECTIONS_TOTAL} connections, with no smaller bound per destination host (each destination is bounded
 * by its own window, so destinations sharing a receiver host do not wait on each other), the context's connect timeout, the request timeout as the longest silence of a connection, no
 * redirects, no automatic retries (the engine retries), no cookies, no proxy, and TLS certificates
 * and host names verified with the JVM's default trust store and protocols. It resolves host names
 * with the context's {@link SinkContext#hostResolver()}; while local network destinations are
 * refused, it checks every address with {@link io.auditstream.api.sink.NetworkAddressPolicy} and
 * connects only to those that passed ({@link HttpTransport#connectsOnlyToCheckedAddresses()}).
 *
 * <p>No header value reaches HttpClient's logs at any level: {@code org.apache.hc.client5.http.headers}
 * prints each request header as {@code Name: ****}, and no wire log ({@code
 * org.apache.hc.client5.http.wire}) is written, so the verification token, the signature and custom
 * header values such as {@code Authorization} stay out of the host's logs whatever their configuration.
 *
 * <p>Stateless and thread-safe.
 */
public final class ApacheHttpTransportProvider implements HttpTransportProvider {
  /**
   * Connections one transport may hold in all, across destination hosts. The engine's window (at most 16
   * requests in flight per destination) is what bounds a destination; the pool is sized so that 256
   * destinations with full windows never wait for one of its connections.
   */
  public static final int MAX_CONNECTIONS_TOTAL = 4096;
  /**
   * Connections one transport may hold to one destination host: as many as in all. Destinations of several
   * groups often share a receiver host; a per-host bound of one window would let one that never answers hold
   * every connection the others need.
   */
  public static final int MAX_CONNECTIONS_PER_ROUTE = MAX_CONNECTIONS_TOTAL;

  /** The provider that {@link java.util.ServiceLoader} instantiates; each {@link #create} makes a client. */
  public ApacheHttpTransportProvider() {}

  /** {@code apache-httpclient5}. */
  @Override
  public String name() {
    return "apache-httpclient5";
  }

  /** Builds and starts a client (its I/O reactor threads); opens no connection. */
  @Override
  public HttpTransport create(SinkContext context) {
    return new ApacheHttpTransport(Objects.requireNonNull(context, "context"));
  }

  @Override
  public String toString() {
    return "ApacheHttpTransportProvider";
  }
}
