package io.auditstream.sink.http;

import io.auditstream.api.sink.SinkContext;
import java.util.Objects;

/**
 * The transport on the JDK's {@code java.net.http.HttpClient}, which HTTP destinations use when no
 * other {@link HttpTransportProvider} is on the class path; needs nothing beyond the JDK. Pass it to
 * {@link HttpSinkProvider#HttpSinkProvider(HttpTransportProvider)} to use it even then.
 *
 * <p>Its client: HTTP/2 over TLS when the server offers it through ALPN, HTTP/1.1 otherwise and
 * always for plain {@code http} (no {@code h2c} upgrade, which some receivers mishandle); redirects
 * never followed; no proxy while local network destinations are refused (a proxy would resolve the name
 * after the sink's check), the JVM's default {@link java.net.ProxySelector} when they are allowed; TLS
 * verification as the JDK does
 * it; the context's connect timeout; completions on daemon threads named {@code
 * audit-stream-http-jdk-T-N}, T numbering the transport. The client resolves host names itself, with the JVM's resolver, so the
 * sink checks the destination's host before every request ({@link
 * HttpTransport#connectsOnlyToCheckedAddresses()} is false): a DNS server that changes its answer
 * between the check and the connection (DNS rebinding) is not caught. The first sink made on it while
 * local network destinations are refused logs one {@code WARN} saying so; {@code
 * io.auditstream:sink-http-apache5} has a transport that connects only to the checked addresses.
 *
 * <p>Stateless and thread-safe.
 */
public final class JdkHttpTransportProvider implements HttpTransportProvider {
  /** A provider; each {@link #create} makes a new client. */
  public JdkHttpTransportProvider() {}

  /** {@code jdk}. */
  @Override
  public String name() {
    return "jdk";
  }

  @Override
  public HttpTransport create(SinkContext context) {
    return new JdkHttpTransport(Objects.requireNonNull(context, "context"));
  }

  @Override
  public String toString() {
    return "JdkHttpTransportProvider";
  }
}
