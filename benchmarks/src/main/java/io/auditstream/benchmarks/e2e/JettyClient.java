package io.auditstream.benchmarks.e2e;

import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;

/** Jetty 12's {@code HttpClient} posting a new event each request with N requests in flight. */
final class JettyClient {
  private JettyClient() {}

  static LoadWindow.Load async(URI uri, Supplier<byte[]> body, int inFlight, AtomicLong failures) {
    return stop -> {
      HttpClient client = new HttpClient();
      client.setMaxConnectionsPerDestination(inFlight);
      client.start();
      try {
        Semaphore permits = new Semaphore(inFlight);
        while (!stop.get()) {
          RawClientSenders.acquire(permits);
          client.newRequest(uri).method("POST").timeout(10, TimeUnit.SECONDS)
              .headers(h -> h.put("X-Gitlab-Audit-Event-Type", RawClientSenders.EVENT_TYPE)
                  .put("X-Gitlab-Event-Streaming-Token", RawClientSenders.TOKEN))
              .body(new BytesRequestContent(RawClientSenders.CONTENT_TYPE, body.get()))
              .send(result -> {
                if (result.isFailed() || result.getResponse().getStatus() != 200) {
                  failures.incrementAndGet();
                }
                permits.release();
              });
        }
        RawClientSenders.awaitAll(permits, inFlight);
      } finally {
        client.stop();
      }
    };
  }
}
