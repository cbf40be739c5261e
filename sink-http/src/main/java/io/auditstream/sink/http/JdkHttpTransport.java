package io.auditstream.sink.http;

import io.auditstream.api.sink.SinkContext;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpTransport} on one {@link HttpClient}: one selector thread and one connection pool,
 * whatever the number of sinks sharing it. See {@link JdkHttpTransportProvider} for its settings.
 * Internal; may change without notice. Thread-safe.
 */
final class JdkHttpTransport implements HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(JdkHttpTransport.class);
  /** Numbers the transports, so that their threads' names tell them apart. */
  private static final AtomicInteger TRANSPORTS = new AtomicInteger();

  private final HttpClient client;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  JdkHttpTransport(SinkContext context) {
    this.executor = Executors.newCachedThreadPool(daemonThreads());
    // Building the client opens no connection; the first request does.
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(context.connectTimeout())
        .sslContext(context.sslContext())
        .executor(executor);
    if (!context.allowLocalNetwork()) {
      // A proxy resolves the destination's name itself, after the sink checked it, and may reach what the
      // check refused: while local network destinations are refused, requests go directly.
      b.proxy(HttpClient.Builder.NO_PROXY);
    }
    this.client = b.build();
  }

  private static ThreadFactory daemonThreads() {
    String prefix = "audit-stream-http-jdk-" + TRANSPORTS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public CompletableFuture<HttpTransportResponse> send(HttpTransportRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed.get()) {
      return CompletableFuture.failedFuture(
          new HttpTransportException(HttpTransportException.Reason.CLOSED, "the HTTP client is closed"));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()))
        .timeout(request.timeout());
    if ("http".equalsIgnoreCase(request.uri().getScheme())) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      try {
        b.setHeader(h.getKey(), h.getValue());
      } catch (IllegalArgumentException e) {
        // The JDK's message may quote the value, which can be a credential: name the key only.
        return CompletableFuture.failedFuture(new HttpTransportException(
            HttpTransportException.Reason.INVALID_REQUEST, "header " + h.getKey() + " is refused by the HTTP client"));
      }
    }
    CompletableFuture<HttpResponse<Void>> exchange;
    try {
      // The body is discarded: receivers may echo request headers, token included.
      exchange = client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IllegalArgumentException | IllegalStateException | RejectedExecutionException e) {
      return CompletableFuture.failedFuture(HttpTransportException.of(
          closed.get() ? HttpTransportException.Reason.CLOSED : HttpTransportException.Reason.INVALID_REQUEST, e));
    }
    CompletableFuture<HttpTransportResponse> result = new CompletableFuture<>();
    exchange.whenComplete((response, error) -> {
      if (error == null) {
        result.complete(HttpTransportResponse.of(response.statusCode(),
            response.headers().firstValue("Retry-After").orElse(null)));
      } else {
        result.completeExceptionally(translate(error));
      }
    });
    // A caller that gives up (its timeout, a closing sink) aborts the exchange.
    result.whenComplete((response, error) -> {
      if (error != null && !exchange.isDone()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  private Throwable translate(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (closed.get() || cause instanceof CancellationException) {
      return HttpTransportException.of(HttpTransportException.Reason.CLOSED, cause);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return HttpTransportException.of(HttpTransportException.Reason.CONNECT_TIMEOUT, cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return HttpTransportException.of(HttpTransportException.Reason.REQUEST_TIMEOUT, cause);
    }
    if (cause instanceof ConnectException) {
      return HttpTransportException.of(HttpTransportException.Reason.CONNECT_FAILED, cause);
    }
    if (HttpTransportException.isTls(cause)) {
      return HttpTransportException.tls(cause);
    }
    if (cause instanceof IOException) {
      return HttpTransportException.of(HttpTransportException.Reason.IO_ERROR, cause);
    }
    return cause;
  }

  @Override
  public boolean connectsOnlyToCheckedAddresses() {
    return false;
  }

  /**
   * On Java 21 and later shuts the client down at once; on Java 17 its selector thread ends once the
   * client is no longer referenced. Either way the completion threads end.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // HttpClient.shutdownNow() exists from Java 21; this library targets Java 17.
      Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
      shutdownNow.invoke(client);
    } catch (NoSuchMethodException e) {
      LOG.trace("HttpClient.shutdownNow() is not available on this Java version");
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("could not shut down the HTTP client: {}", e.toString());
    }
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "JdkHttpTransport{closed=" + closed.get() + "}";
  }
}
