package io.auditstream.sink.http;

import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.SinkContext;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the HTTP requests of HTTP destinations: one client, with its own connection pool and I/O
 * threads, that every sink of one {@link HttpSinkProvider} (and one {@link SinkContext}) shares.
 * Made by an {@link HttpTransportProvider}; closed by the provider once no sink uses it any more,
 * never by a sink.
 *
 * <p>What every transport must do, whatever its client: never follow a redirect (the sink reports
 * 3xx as a permanent failure; a redirect could point into the private network); bound establishing
 * a connection by {@link SinkContext#connectTimeout()} and every request by {@link
 * HttpTransportRequest#timeout()}; verify TLS certificates and host names; carry at least {@link
 * HttpSinkProvider#MAX_IN_FLIGHT} requests to one destination at once; send the request's headers
 * and body exactly as given, adding only what HTTP itself needs ({@code Host}, {@code
 * Content-Length}, {@code Connection}); put no header value, no path and no query in an exception
 * message.
 *
 * <p>Thread-safe: {@link #send} is called from many threads at once, and {@link #close()} may come
 * while requests are in flight.
 */
public interface HttpTransport extends AutoCloseable {
  /**
   * Starts sending {@code request} and returns at once (apart from, at most, a host name lookup
   * bounded by the connect timeout when a new connection is opened). The future completes with the
   * response once its body has been read to the end (and discarded: receivers may echo request
   * headers, secrets included), or fails with an {@link HttpTransportException} saying what went
   * wrong; it may complete on one of the transport's I/O threads, so dependent stages must not block.
   * Cancelling the future, or completing it in any other way before the response arrived (a timeout
   * of the caller), aborts the exchange.
   *
   * @throws NullPointerException when {@code request} is null; every other problem fails the future
   */
  CompletableFuture<HttpTransportResponse> send(HttpTransportRequest request);

  /**
   * Whether this transport, while {@link SinkContext#allowLocalNetwork()} is off, resolves every
   * host name with {@link SinkContext#hostResolver()} and {@link NetworkAddressPolicy#check} when it
   * opens a connection, and connects only to the addresses that passed: then the sink need not check
   * the host again before each request, since no connection can go anywhere else. {@code false}
   * (the default) makes the sink check the host before every request, as far as a client that
   * resolves names by itself allows.
   */
  default boolean connectsOnlyToCheckedAddresses() {
    return false;
  }

  /**
   * Closes the client: fails the requests in flight, closes connections, ends its threads.
   * Idempotent; never throws.
   */
  @Override
  void close();
}
