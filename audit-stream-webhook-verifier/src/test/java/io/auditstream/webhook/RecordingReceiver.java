package io.auditstream.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A receiver on loopback (the JDK's HTTP server) that records every request it gets, headers and body
 * bytes as received, and answers 200, or 503 to the first {@link #failFirst} requests.
 */
final class RecordingReceiver implements AutoCloseable {
  /** One request as received: its headers (names in lower case, first values) and body. */
  record Request(Map<String, String> headers, byte[] body) {
    /** A header's value by name, in any case; null when absent. */
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failFirst = new AtomicInteger();
  private volatile Runnable onFailure = () -> {};

  RecordingReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/hook", exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
            headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        requests.add(new Request(headers, body));
        boolean fail = failFirst.getAndDecrement() > 0;
        if (fail) {
          onFailure.run();
        }
        exchange.sendResponseHeaders(fail ? 503 : 200, -1);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Answers the next {@code n} requests with 503, running {@code action} before each answer. */
  void failFirst(int n, Runnable action) {
    onFailure = action;
    failFirst.set(n);
  }

  List<Request> requests() {
    return requests;
  }

  /** Waits until {@code n} requests arrived, at most {@code timeout}; the requests then. */
  List<Request> await(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requests.size() < n && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
