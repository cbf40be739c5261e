package io.auditstream.sink.http;

import io.auditstream.api.sink.SinkContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport provider that counts the transports it made and closed, each a real one of {@code delegate},
 * and the requests they were given.
 */
final class CountingTransportProvider implements HttpTransportProvider {
  private final HttpTransportProvider delegate;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();

  CountingTransportProvider(HttpTransportProvider delegate) {
    this.delegate = delegate;
  }

  int created() {
    return created.get();
  }

  int closed() {
    return closed.get();
  }

  int sent() {
    return sent.get();
  }

  @Override
  public String name() {
    return "counting-" + delegate.name();
  }

  @Override
  public HttpTransport create(SinkContext context) {
    HttpTransport transport = delegate.create(context);
    created.incrementAndGet();
    return new HttpTransport() {
      @Override
      public CompletableFuture<HttpTransportResponse> send(HttpTransportRequest request) {
        sent.incrementAndGet();
        return transport.send(request);
      }

      @Override
      public boolean connectsOnlyToCheckedAddresses() {
        return transport.connectsOnlyToCheckedAddresses();
      }

      @Override
      public void close() {
        closed.incrementAndGet();
        transport.close();
      }
    };
  }
}
