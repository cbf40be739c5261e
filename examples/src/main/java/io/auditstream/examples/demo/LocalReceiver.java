package io.auditstream.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.webhook.WebhookVerificationException;
import io.auditstream.webhook.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's own streaming destination: an HTTP server on loopback that prints, for each event it
 * receives, its type, entity path, whether the verification token matched and, when the destination
 * signs, whether the signature verified. Thread-safe.
 */
final class LocalReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "demo-receiver");
    t.setDaemon(true);
    return t;
  });
  private final PrintStream out;
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger tokenMismatches = new AtomicInteger();
  private final AtomicInteger signatureFailures = new AtomicInteger();
  private volatile Secret expectedToken;
  // Null unless the destination signs: then every request must carry a signature it accepts.
  private volatile WebhookVerifier verifier;

  private LocalReceiver(HttpServer server, PrintStream out) {
    this.server = server;
    this.out = out;
  }

  static LocalReceiver start(PrintStream out) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LocalReceiver receiver = new LocalReceiver(server, out);
    server.createContext("/audit-events", receiver::handle);
    server.setExecutor(receiver.executor);
    server.start();
    return receiver;
  }

  /** The URL to stream to. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/audit-events";
  }

  /** The token every request must carry. */
  void expectToken(Secret token) {
    this.expectedToken = token;
  }

  /** Every request must be signed with {@code signingSecret}, as the Standard Webhooks specification describes. */
  void expectSignatures(String signingSecret) {
    this.verifier = WebhookVerifier.builder().secret(signingSecret).build();
  }

  int signatureFailures() {
    return signatureFailures.get();
  }

  int received() {
    return received.get();
  }

  int tokenMismatches() {
    return tokenMismatches.get();
  }

  /** Waits until {@code count} events arrived, at most {@code timeout}. */
  boolean awaitReceived(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.get() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      // The bytes as received: a signature covers exactly them, before any parsing.
      byte[] body = in.readAllBytes();
      JsonNode event = JSON.readTree(body);
      Secret expected = expectedToken;
      boolean matched = expected != null
          && expected.matches(exchange.getRequestHeaders().getFirst(HttpHeader.TOKEN_HEADER));
      if (!matched) {
        tokenMismatches.incrementAndGet();
      }
      String signature = signature(exchange, body);
      synchronized (out) {
        out.printf("received event_type=%s entity_path=%s token=%s%s%n",
            event.path("event_type").asText(), event.path("entity_path").asText(), matched ? "matched" : "MISMATCH",
            signature == null ? "" : " signature=" + signature);
      }
      received.incrementAndGet();
      boolean accepted = matched && (signature == null || signature.equals("verified"));
      exchange.sendResponseHeaders(accepted ? 200 : 401, -1);
    } catch (IOException | RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  /** {@code verified}, or why the signature failed; null when no signature is expected. */
  private String signature(HttpExchange exchange, byte[] body) {
    WebhookVerifier v = verifier;
    if (v == null) {
      return null;
    }
    try {
      v.verify(exchange.getRequestHeaders()::getFirst, body);
      return "verified";
    } catch (WebhookVerificationException e) {
      signatureFailures.incrementAndGet();
      return e.reason().name();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
