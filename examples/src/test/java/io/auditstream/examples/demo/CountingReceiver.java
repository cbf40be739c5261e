package io.auditstream.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver for demo processes under test: counts, per event id, the requests it answered with 200
 * that carried the expected verification token; every {@code failEvery}-th request is answered 503
 * instead, as a flaky receiver would.
 */
final class CountingReceiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  /** Starts on a free loopback port; {@code failEvery} 0 never fails. */
  CountingReceiver(String token, int failEvery) throws IOException {
    ObjectMapper json = new ObjectMapper();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      boolean fail = failEvery > 0 && requests.incrementAndGet() % failEvery == 0;
      if (!fail && token.equals(exchange.getRequestHeaders().getFirst("X-Gitlab-Event-Streaming-Token"))) {
        String id = json.readTree(body).get("id").asText();
        received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      }
      exchange.sendResponseHeaders(fail ? 503 : 200, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Event id to the number of times it was received. */
  Map<String, AtomicInteger> received() {
    return received;
  }

  /** How many events were received more than once. */
  long duplicates() {
    return received.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
