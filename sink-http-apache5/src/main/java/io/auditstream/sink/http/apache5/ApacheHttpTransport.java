package io.auditstream.sink.http.apache5;

import io.auditstream.api.sink.SinkContext;
import io.auditstream.sink.http.HttpTransport;
import io.auditstream.sink.http.HttpTransportException;
import io.auditstream.sink.http.HttpTransportException.Reason;
import io.auditstream.sink.http.HttpTransportRequest;
import io.auditstream.sink.http.HttpTransportResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedSelectorException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.IdleConnectionEvictor;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * {@link HttpTransport} on one started {@link CloseableHttpAsyncClient}; see {@link
 * ApacheHttpTransportProvider} for its settings. Responses complete the futures on the I/O reactor's
 * threads. Internal; may change without notice. Thread-safe.
 */
final class ApacheHttpTransport implements HttpTransport {
  /** Numbers the transports, so that their threads' names tell them apart. */
  private static final AtomicInteger TRANSPORTS = new AtomicInteger();
  /** Connections idle this long are closed, so that a receiver's own idle timeout rarely wins the race. */
  private static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(ApacheHttpTransport.class);
  private final CloseableHttpAsyncClient client;
  private final IdleConnectionEvictor evictor;
  private final RequestConfig requestConfig;
  private final SinkContext context;
  private final AtomicBoolean closed = new AtomicBoolean();

  ApacheHttpTransport(SinkContext context) {
    this.context = context;
    ThreadFactory threads = daemonThreads();
    Timeout connectTimeout = Timeout.of(context.connectTimeout());
    Timeout requestTimeout = Timeout.of(context.requestTimeout());
    PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
        .setDnsResolver(new CheckedDnsResolver(context))
        // The context trusts the JVM's anchors and the host's added certificates; names are verified.
        .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(context.sslContext()).buildAsync())
        .setDefaultTlsConfig(TlsConfig.custom()
            .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
            .setHandshakeTimeout(connectTimeout)
            .build())
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(connectTimeout)
            .setSocketTimeout(requestTimeout)
            // A pooled connection the receiver closed meanwhile is noticed before it is used.
            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
            .build())
        .setMaxConnPerRoute(ApacheHttpTransportProvider.MAX_CONNECTIONS_PER_ROUTE)
        .setMaxConnTotal(ApacheHttpTransportProvider.MAX_CONNECTIONS_TOTAL)
        .build();
    this.requestConfig = RequestConfig.custom()
        .setConnectionRequestTimeout(requestTimeout)
        .setResponseTimeout(requestTimeout)
        .setRedirectsEnabled(false)
        .build();
    this.client = HttpAsyncClients.custom()
        .setConnectionManager(connections)
        .setIOReactorConfig(IOReactorConfig.custom().setSoTimeout(requestTimeout).build())
        .setThreadFactory(threads)
        // Not the default decorator: it logs every byte sent, headers included, on
        // org.apache.hc.client5.http.wire at DEBUG, and no other logger can be asked to stay quiet.
        .setIoSessionDecorator(session -> session)
        // Not the default callback, which logs at ERROR what closing the client interrupts (a
        // ClosedSelectorException on every shutdown with requests in flight).
        .setIoReactorExceptionCallback(this::reactorFailed)
        .setDefaultRequestConfig(requestConfig)
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableContentCompression()
        .build();
    // Not the builder's evictIdleConnections: its thread would not be named for the library.
    this.evictor = new IdleConnectionEvictor(connections, threads, MAX_IDLE, MAX_IDLE);
    client.start();
    evictor.start();
  }

  private static ThreadFactory daemonThreads() {
    String prefix = "audit-stream-http-apache5-" + TRANSPORTS.incrementAndGet() + "-";
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
      return CompletableFuture.failedFuture(new HttpTransportException(Reason.CLOSED, "the HTTP client is closed"));
    }
    BasicHttpRequest head = new BasicHttpRequest(request.method(), request.uri());
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      // The client logs each header it sends through toString: this type never prints its value.
      head.addHeader(new UnprintedHeader(h.getKey(), h.getValue()));
    }
    // No content type on the entity: the Content-Type header is the destination's, set above as is.
    BasicAsyncEntityProducer body = new BasicAsyncEntityProducer(request.body(), null);
    HttpClientContext exchangeContext = HttpClientContext.create();
    if (!request.timeout().equals(context.requestTimeout())) {
      exchangeContext.setRequestConfig(RequestConfig.copy(requestConfig)
          .setResponseTimeout(Timeout.of(request.timeout())).build());
    }
    CompletableFuture<HttpTransportResponse> result = new CompletableFuture<>();
    Future<Message<HttpResponse, Void>> exchange;
    try {
      exchange = client.execute(new BasicRequestProducer(head, body),
          // The body is discarded: receivers may echo request headers, token included.
          new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()), exchangeContext, new FutureCallback<>() {
            @Override
            public void completed(Message<HttpResponse, Void> message) {
              HttpResponse response = message.getHead();
              Header retryAfter = response.getFirstHeader("Retry-After");
              result.complete(HttpTransportResponse.of(response.getCode(), retryAfter == null ? null : retryAfter.getValue()));
            }

            @Override
            public void failed(Exception e) {
              result.completeExceptionally(translate(e));
            }

            @Override
            public void cancelled() {
              result.completeExceptionally(new HttpTransportException(Reason.CLOSED, "the request was cancelled"));
            }
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(HttpTransportException.of(
          closed.get() ? Reason.CLOSED : Reason.INVALID_REQUEST, e));
    }
    // A caller that gives up (its timeout, a closing sink) aborts the exchange and frees the connection.
    result.whenComplete((response, error) -> {
      if (error != null && !exchange.isDone()) {
        exchange.cancel(true);
      }
    });
    return result;
  }

  private HttpTransportException translate(Exception e) {
    if (closed.get() || e instanceof CancellationException) {
      return HttpTransportException.of(Reason.CLOSED, e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CheckedDnsResolver.RefusedAddressException) {
        return new HttpTransportException(Reason.REFUSED_ADDRESS, t.getMessage());
      }
      if (t instanceof CheckedDnsResolver.UnresolvedHostException) {
        return new HttpTransportException(Reason.UNRESOLVED_HOST, t.getMessage());
      }
    }
    if (e instanceof UnknownHostException) {
      return new HttpTransportException(Reason.UNRESOLVED_HOST, null);
    }
    if (HttpTransportException.isTls(e)) {
      return HttpTransportException.tls(e);
    }
    if (e instanceof ConnectTimeoutException) {
      return HttpTransportException.of(Reason.CONNECT_TIMEOUT, e);
    }
    if (e instanceof SocketTimeoutException) {
      return HttpTransportException.of(Reason.REQUEST_TIMEOUT, e);
    }
    if (e instanceof ConnectException) {
      return HttpTransportException.of(Reason.CONNECT_FAILED, e);
    }
    if (e instanceof IOException || e instanceof HttpException) {
      return HttpTransportException.of(Reason.IO_ERROR, e);
    }
    return HttpTransportException.of(Reason.IO_ERROR, e);
  }

  /** Connections are made only to addresses {@link CheckedDnsResolver} returned, checked while local network is refused. */
  @Override
  public boolean connectsOnlyToCheckedAddresses() {
    return true;
  }

  /** What the I/O reactor could not handle: expected while closing, otherwise worth a warning. */
  private void reactorFailed(Exception e) {
    if (closed.get() || e instanceof ClosedSelectorException) {
      LOG.debug("the HTTP client's I/O reactor stopped while closing: {}", e.toString());
    } else {
      // The class only: a reactor's message may name a peer or quote a request.
      LOG.warn("the HTTP client's I/O reactor failed: {}", e.getClass().getName());
    }
  }

  /** Closes the client at once: requests in flight fail, connections close, the reactor's threads end. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      evictor.shutdown();
      client.close(CloseMode.IMMEDIATE);
    }
  }

  @Override
  public String toString() {
    return "ApacheHttpTransport{closed=" + closed.get() + "}";
  }
}
