package io.auditstream.sink.http;

import io.auditstream.api.sink.SinkContext;

/**
 * Makes the {@link HttpTransport} that HTTP destinations send their requests with. An
 * implementation is a small public class with a public no-argument constructor, listed in {@code
 * META-INF/services/io.auditstream.sink.http.HttpTransportProvider}.
 *
 * <p>How the transport is chosen, by {@link HttpSinkProvider}: the one given to {@link
 * HttpSinkProvider#HttpSinkProvider(HttpTransportProvider)} if the host passed one; otherwise one
 * found through {@link java.util.ServiceLoader} (with the class loader of {@code sink-http}), for
 * example {@code io.auditstream:sink-http-apache5}; otherwise {@link JdkHttpTransportProvider}, on
 * the JDK's {@code java.net.http} client. When several are found, the first by class name is used
 * and a warning names them all. The choice is logged once at INFO.
 *
 * <p>Implementations must be thread-safe.
 */
public interface HttpTransportProvider {
  /** A short name for logs, for example {@code jdk} or {@code apache-httpclient5}. */
  String name();

  /**
   * Creates a transport for sinks that run with {@code context}: its connect and request timeouts,
   * and, while {@link SinkContext#allowLocalNetwork()} is off, its {@link SinkContext#hostResolver()}
   * for transports that check addresses when they connect. May start threads; must not open a
   * connection (the first request does).
   *
   * @throws NullPointerException when {@code context} is null
   */
  HttpTransport create(SinkContext context);
}
