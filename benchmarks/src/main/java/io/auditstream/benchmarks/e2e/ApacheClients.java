package io.auditstream.benchmarks.e2e;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/** Apache HttpClient 5 posting a new event each request: async with N in flight, and classic with N threads. */
final class ApacheClients {
  private ApacheClients() {}

  static LoadWindow.Load async(URI uri, Supplier<byte[]> body, int inFlight, AtomicLong failures) {
    return stop -> {
      try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
          .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
              .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
              .setMaxConnPerRoute(inFlight).setMaxConnTotal(inFlight).build())
          .build()) {
        client.start();
        Semaphore permits = new Semaphore(inFlight);
        FutureCallback<SimpleHttpResponse> done = new FutureCallback<>() {
          @Override
          public void completed(SimpleHttpResponse response) {
            if (response.getCode() != 200) {
              failures.incrementAndGet();
            }
            permits.release();
          }

          @Override
          public void failed(Exception e) {
            failures.incrementAndGet();
            permits.release();
          }

          @Override
          public void cancelled() {
            failures.incrementAndGet();
            permits.release();
          }
        };
        ContentType type = ContentType.parse(RawClientSenders.CONTENT_TYPE);
        while (!stop.get()) {
          RawClientSenders.acquire(permits);
          SimpleHttpRequest request = SimpleRequestBuilder.post(uri)
              .addHeader("X-Gitlab-Audit-Event-Type", RawClientSenders.EVENT_TYPE)
              .addHeader("X-Gitlab-Event-Streaming-Token", RawClientSenders.TOKEN)
              .setBody(body.get(), type).build();
          client.execute(request, done);
        }
        RawClientSenders.awaitAll(permits, inFlight);
      }
    };
  }

  static LoadWindow.Load classic(URI uri, Supplier<byte[]> body, int threads) {
    return stop -> {
      try (CloseableHttpClient client = HttpClients.custom()
          .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
              .setMaxConnPerRoute(threads).setMaxConnTotal(threads).build())
          .build()) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ContentType type = ContentType.parse(RawClientSenders.CONTENT_TYPE);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Thread t = new Thread(() -> {
            try {
              while (!stop.get()) {
                HttpPost post = new HttpPost(uri);
                post.addHeader("X-Gitlab-Audit-Event-Type", RawClientSenders.EVENT_TYPE);
                post.addHeader("X-Gitlab-Event-Streaming-Token", RawClientSenders.TOKEN);
                post.setEntity(new ByteArrayEntity(body.get(), type));
                int status = client.execute(post, response -> {
                  EntityUtils.consume(response.getEntity());
                  return response.getCode();
                });
                RawClientSenders.check(status);
              }
            } catch (Exception e) {
              failure.compareAndSet(null, e);
              stop.set(true);
            }
          }, "classic-" + i);
          workers.add(t);
          t.start();
        }
        for (Thread t : workers) {
          t.join(60_000);
        }
        if (failure.get() != null) {
          throw new IllegalStateException("a request failed: " + failure.get());
        }
      }
    };
  }
}
