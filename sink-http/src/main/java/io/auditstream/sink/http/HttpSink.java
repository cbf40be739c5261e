package io.auditstream.sink.http;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.CloseGuard;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events of one HTTP destination: one POST per event, as GitLab does.
 *
 * <p>Transport: one {@link HttpClient} per sink; HTTP/2 over TLS when the server offers it through
 * ALPN, HTTP/1.1 otherwise and always for plain {@code http} (so no {@code h2c} upgrade request,
 * which some receivers mishandle); redirects never followed, since a redirect could point into the
 * private network past the address check; the JVM's default {@link java.net.ProxySelector} (no
 * proxy unless the host configured one, for example with {@code https.proxyHost}); TLS certificate
 * verification as the JDK does it by default. Every request is bounded by {@link
 * SinkContext#requestTimeout()} from sending to the last byte of the response.
 *
 * <p>Thread-safe: {@link #deliver} may run while {@link #close()} is called from another thread.
 */
final class HttpSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);

  private final HttpDestinationConfig config;
  private final String token;
  private final SinkContext context;
  private final URI uri;
  private final String hostForMessages;
  private final String what;
  private final HttpClient client;
  private final Clock clock;
  private final CloseGuard closeGuard = new CloseGuard();

  HttpSink(Destination destination, HttpDestinationConfig config, SinkContext context, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.token = destination.verificationToken().reveal();
    this.context = Objects.requireNonNull(context, "context");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.uri = config.uri();
    this.hostForMessages = NetworkAddressPolicy.hostForMessages(uri);
    this.what = "destination host " + hostForMessages;
    // Building the client opens no connection; the first request does.
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(context.connectTimeout())
        .build();
  }

  /** One event per request, as GitLab sends them; receivers dedupe on the event id. */
  @Override
  public int maxBatchSize() {
    return 1;
  }

  /**
   * POSTs each event of {@code batch} in order; normally the batch holds one. Blocks for at most
   * the address check plus {@link SinkContext#requestTimeout()} per event.
   *
   * @throws DeliveryException retryable on 408, 429, 5xx, timeouts and I/O errors (with the {@code
   *     Retry-After} wait when the receiver gave one); permanent on 3xx, other 4xx, and refused
   *     addresses. The message names the status and host, never the token, header values or the
   *     URL's path and query.
   */
  @Override
  public void deliver(List<EncodedEvent> batch) throws DeliveryException {
    for (EncodedEvent event : batch) {
      deliverOne(event);
    }
  }

  private void deliverOne(EncodedEvent event) throws DeliveryException {
    closeGuard.checkOpen(what);
    if (!context.allowLocalNetwork()) {
      // Before every request, not once: what a name resolves to can change after it was saved.
      NetworkAddressPolicy.check(uri.getHost(), context.connectTimeout(), context.hostResolver());
    }
    HttpRequest request = buildRequest(event);
    HttpResponse<Void> response = send(request);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      LOG.debug("delivered event {} to {} ({})", event.event().id(), hostForMessages, status);
      return;
    }
    throw failure(status, response);
  }

  private HttpRequest buildRequest(EncodedEvent event) throws DeliveryException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofByteArray(event.json()))
        .timeout(context.requestTimeout());
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    String headerKey = "User-Agent";
    try {
      b.setHeader("User-Agent", context.userAgent());
      // Custom headers may replace the User-Agent on purpose; HttpHeader keeps them off the others.
      for (HttpHeader h : config.activeHeaders()) {
        headerKey = h.key();
        b.setHeader(h.key(), h.value());
      }
      headerKey = HttpHeader.EVENT_TYPE_HEADER;
      b.setHeader(HttpHeader.EVENT_TYPE_HEADER, event.event().eventType());
      headerKey = "Content-Type";
      b.setHeader("Content-Type", config.contentType());
      // Last and with setHeader, so nothing configured above can stand in for the token.
      headerKey = HttpHeader.TOKEN_HEADER;
      b.setHeader(HttpHeader.TOKEN_HEADER, token);
      return b.build();
    } catch (IllegalArgumentException e) {
      // The JDK's message may quote the value, which can be a credential: name the key only.
      throw DeliveryException.permanent("header " + headerKey + " of the request to destination host "
          + hostForMessages + " is refused by the HTTP client", null);
    }
  }

  private HttpResponse<Void> send(HttpRequest request) throws DeliveryException {
    long timeoutNanos = context.requestTimeout().toNanos();
    CompletableFuture<HttpResponse<Void>> future;
    try {
      // The body is discarded: receivers may echo request headers, token included.
      future = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw DeliveryException.permanent("request to destination host " + hostForMessages + " cannot be sent: "
          + e.getClass().getSimpleName(), null);
    }
    try {
      // HttpRequest.timeout() only bounds the wait for the response headers; this bounds the body too.
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted while delivering to destination host " + hostForMessages, null);
    } catch (ExecutionException e) {
      // On Java 21 and later close() shuts the client down, which fails the request in flight.
      closeGuard.checkNotClosedDuring(what);
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw ioFailure(cause);
    }
  }

  private DeliveryException ioFailure(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return DeliveryException.retryable("could not connect to destination host " + hostForMessages + " within "
          + context.connectTimeout().toMillis() + " ms", null);
    }
    if (cause instanceof HttpTimeoutException) {
      return timeout();
    }
    if (cause instanceof ConnectException) {
      return DeliveryException.retryable("could not connect to destination host " + hostForMessages + ": "
          + safeDescription(cause), null);
    }
    if (cause instanceof IOException) {
      return DeliveryException.retryable("I/O error delivering to destination host " + hostForMessages + ": "
          + safeDescription(cause), null);
    }
    return DeliveryException.retryable("unexpected error delivering to destination host " + hostForMessages
        + ": " + cause.getClass().getName(), null);
  }

  private DeliveryException timeout() {
    return DeliveryException.retryable("destination host " + hostForMessages + " did not answer within "
        + context.requestTimeout().toMillis() + " ms", null);
  }

  private DeliveryException failure(int status, HttpResponse<Void> response) {
    String prefix = "destination host " + hostForMessages + " answered HTTP " + status;
    if (status == 408 || status == 429 || (status >= 500 && status <= 599)) {
      var retryAfter = response.headers().firstValue("Retry-After")
          .flatMap(v -> RetryAfter.parse(v, clock.instant()));
      // DEBUG only: the engine logs failed deliveries once, knowing whether it will retry.
      LOG.debug("{}; retryable", prefix);
      return retryAfter.isPresent()
          ? DeliveryException.retryableAfter(prefix + "; retry after " + retryAfter.get().toSeconds() + " s",
              retryAfter.get())
          : DeliveryException.retryable(prefix, null);
    }
    LOG.debug("{}; permanent", prefix);
    if (status >= 300 && status < 400) {
      return DeliveryException.permanent(prefix + ": redirects are not followed (a redirect could lead into"
          + " the private network); set the destination URL to the final address", null);
    }
    return DeliveryException.permanent(prefix, null);
  }

  /**
   * The exception's class and, for the JDK's connect and I/O errors, a message that holds no request
   * data. Messages of causes are dropped when they could quote the URL.
   */
  private static String safeDescription(Throwable t) {
    String message = t.getMessage();
    boolean quotesRequest = message != null
        && (message.contains("/") || message.toLowerCase(Locale.ROOT).contains("http"));
    return message == null || message.isBlank() || quotesRequest
        ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + " (" + message + ")";
  }

  /**
   * Stops using the client. On Java 21 and later the client is shut down right away, on Java 17
   * its selector thread ends once the sink is no longer referenced. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closeGuard.markClosed()) {
      return;
    }
    try {
      // HttpClient.shutdownNow() exists from Java 21; this library targets Java 17.
      Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
      shutdownNow.invoke(client);
    } catch (NoSuchMethodException e) {
      LOG.trace("HttpClient.shutdownNow() is not available on this Java version");
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("could not shut down the HTTP client of {}: {}", hostForMessages, e.toString());
    }
  }

  @Override
  public String toString() {
    return "HttpSink{host=" + hostForMessages + ", closed=" + closeGuard.isClosed() + "}";
  }
}
