package io.auditstream.spring.testapp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** A real HTTP receiver on loopback that answers every POST with the status the test sets, and keeps the bodies. */
public final class Receiver implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  public Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int answer = status;
      if (answer < 300) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
        received.add(new Received(new String(body, StandardCharsets.UTF_8), headers));
      }
      exchange.sendResponseHeaders(answer, -1);
      exchange.close();
    });
    server.start();
  }

  /** The address of {@code path} on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers every request from now on with {@code status}. */
  public void answer(int status) {
    this.status = status;
  }

  /** A request accepted: its body and its headers (the first value of each, names in any case). */
  public record Received(String body, Map<String, String> headers) {}

  /** The bodies of the requests accepted so far. */
  public List<String> bodies() {
    return received.stream().map(Received::body).toList();
  }

  /** The requests accepted so far. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits up to {@code timeout} for {@code condition}; whether it held. */
  public static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
