package io.auditstream.sink.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A receiver on loopback (the JDK's HTTP server) that holds every request until {@link #release()}
 * (or 10 seconds), then answers 200; it counts the requests it holds at once, as a receiver sees
 * concurrency.
 */
final class HoldingServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(40);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger holding = new AtomicInteger();
  private final AtomicInteger maxHolding = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();

  private HoldingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  static HoldingServer start() throws IOException {
    return new HoldingServer();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      maxHolding.accumulateAndGet(holding.incrementAndGet(), Math::max);
      try {
        released.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      holding.decrementAndGet();
      // Counted first: the client may see the answer, and a test read the count, before the next line runs.
      answered.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** Requests held right now. */
  int holding() {
    return holding.get();
  }

  /** The most requests it held at once. */
  int maxHolding() {
    return maxHolding.get();
  }

  /** Requests answered. */
  int answered() {
    return answered.get();
  }

  /** Answers every request held, and every later one at once. */
  void release() {
    released.countDown();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    threads.shutdownNow();
  }
}
