package io.auditstream.benchmarks.e2e;

import io.auditstream.benchmarks.TypicalEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Plain HTTP clients posting the typical event (with the headers the library sends) to the receiver, a
 * new event each request, built and encoded as the library's driver builds each one it streams: the
 * receiver keeps every distinct event id, which costs it more for new ids than for one id again and
 * again, so posting the same bytes each time would make the receiver faster for the raw clients than for
 * the library. The clients: the naive loop of {@link HttpClient#send} one at a time, and the
 * clients with {@code --in-flight} requests in flight: the JDK's {@code sendAsync}, Apache HttpClient 5
 * (async, and classic with one thread per request in flight), Jetty's {@code HttpClient}. The fastest of
 * the latter is what the library's delivery is compared with.
 */
final class RawClientSenders {
  static final String TOKEN = "bench-verification-token";
  static final String CONTENT_TYPE = "application/x-www-form-urlencoded";
  static final String EVENT_TYPE = "project_created";

  private RawClientSenders() {}

  static void run(SenderOptions options, Map<String, Object> out) throws Exception {
    Supplier<byte[]> body = () -> TypicalEvent.encoded("acme");
    URI uri = URI.create(options.destinationUrl(0));
    AtomicLong failures = new AtomicLong();
    out.put("body_bytes", body.get().length);
    LoadWindow.Load load = switch (options.mode()) {
      case "naive" -> naive(uri, body);
      case "jdk-async" -> jdkAsync(uri, body, options.inFlight(), failures);
      case "apache-async" -> ApacheClients.async(uri, body, options.inFlight(), failures);
      case "apache-classic" -> ApacheClients.classic(uri, body, options.inFlight());
      case "jetty-async" -> JettyClient.async(uri, body, options.inFlight(), failures);
      default -> throw new IllegalArgumentException("unknown --mode " + options.mode());
    };
    out.put("in_flight", options.mode().equals("naive") ? 1 : options.inFlight());
    ReceiverControl receiver = new ReceiverControl(options.receiver());
    receiver.reset();
    LoadWindow.measure(receiver, load, options.warmup(), options.window(), out);
    out.put("failed_requests", failures.get());
    long requests = ((Number) out.get("window_requests")).longValue();
    if (failures.get() > Math.max(1, requests / 1000)) {
      throw new IllegalStateException(failures.get() + " requests failed, of " + requests + " in the window");
    }
    out.put("events_per_s", out.get("requests_per_s"));
    out.put("sat_p50_us", out.remove("p50_us"));
    out.put("sat_p99_us", out.remove("p99_us"));
  }

  static HttpRequest jdkRequest(URI uri, byte[] body) {
    return HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", CONTENT_TYPE)
        .header("X-Gitlab-Audit-Event-Type", EVENT_TYPE)
        .header("X-Gitlab-Event-Streaming-Token", TOKEN)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static LoadWindow.Load naive(URI uri, Supplier<byte[]> body) {
    return stop -> {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      while (!stop.get()) {
        HttpResponse<Void> response = client.send(jdkRequest(uri, body.get()), HttpResponse.BodyHandlers.discarding());
        check(response.statusCode());
      }
    };
  }

  private static LoadWindow.Load jdkAsync(URI uri, Supplier<byte[]> body, int inFlight, AtomicLong failures) {
    return stop -> {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      Semaphore permits = new Semaphore(inFlight);
      while (!stop.get()) {
        acquire(permits);
        client.sendAsync(jdkRequest(uri, body.get()), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
          if (e != null || r.statusCode() != 200) {
            failures.incrementAndGet();
          }
          permits.release();
        });
      }
      awaitAll(permits, inFlight);
    };
  }

  /** Takes a permit, failing after 30 s: a request that never completes must not hang the run. */
  static void acquire(Semaphore permits) throws InterruptedException {
    if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no response within 30 s");
    }
  }

  /**
   * Waits for the requests in flight to complete (at most 30 s). Failed requests are counted by the
   * caller, not thrown here: the JDK client loses about one loopback response in 5,000 to 10,000 on these
   * machines, and one lost response must not void a run; {@link #run} refuses a run with more than one
   * failure in a thousand requests.
   */
  static void awaitAll(Semaphore permits, int inFlight) throws InterruptedException {
    if (!permits.tryAcquire(inFlight, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still in flight after 30 s");
    }
  }

  static void check(int status) {
    if (status != 200) {
      throw new IllegalStateException("receiver answered " + status);
    }
  }
}
