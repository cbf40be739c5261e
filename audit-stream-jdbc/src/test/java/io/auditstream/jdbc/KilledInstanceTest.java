package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.Actor;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import io.auditstream.testing.TestAccessPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One of two host instances on one PostgreSQL database, in a child JVM, is killed with SIGKILL while
 * delivering over HTTP: the other takes over its claims once they expire and delivers every event the
 * killed one had reported stored; what is received twice is no more than what the killed instance had
 * in flight (one event: HTTP destinations get one event per request, one request at a time).
 */
class KilledInstanceTest {
  private static final int EVENTS = 1500;
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final String TOKEN = "kill-test-token-0123456";

  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final ExecutorService receiverThreads = Executors.newFixedThreadPool(4);
  private HttpServer receiver;
  private Process child;
  private AuditStreamer survivor;
  private HikariDataSource pool;

  @AfterEach
  void stop() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (survivor != null) {
      survivor.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
    receiverThreads.shutdownNow();
  }

  @Test
  void everyEventOfAKilledInstanceIsDeliveredByTheOtherWithDuplicatesBoundedByItsInFlightWindow() throws Exception {
    startReceiver();
    String schema = PostgresFixture.freshSchema();
    pool = PostgresFixture.pool(4);
    PostgresStore store = PostgresStore.builder(pool).schema(schema).instanceId("survivor")
        .eventDecoder(AuditEventJson::decode).leaseDuration(LEASE).pollInterval(Duration.ofMillis(200)).open();
    survivor = AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
        .destinationStore(store.destinations()).deliveryQueue(store.outbox())
        .allowLocalNetwork(true)
        .closeTimeout(Duration.ofSeconds(1))
        .build();
    Destination d = survivor.destinations().create(Actor.of("alice"), "acme", DestinationDraft.builder(
            HttpDestinationConfig.builder().destinationUrl(
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").build())
        .name("SIEM").verificationToken(TOKEN).build());

    child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StreamingInstanceProcess.class.getName(),
        PostgresFixture.jdbcUrl(), schema, String.valueOf(EVENTS), String.valueOf(LEASE.toMillis()))
        .redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    readLines(child, output);

    Await.until(Duration.ofSeconds(30), () -> output.contains("accepted=" + EVENTS) || !child.isAlive(),
        "the child to report every event stored");
    assertThat(output).as("child output").contains("accepted=" + EVENTS);
    Await.until(Duration.ofSeconds(20), () -> received.size() >= EVENTS / 10, "deliveries to be under way");
    assertThat(child.isAlive()).as("the child is still delivering when it is killed").isTrue();
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int beforeKill = received.size();

    Await.until(Duration.ofSeconds(40), () -> received.size() == EVENTS, "every event delivered by the survivor");
    long duplicates = received.values().stream().filter(n -> n.get() > 1).count();
    System.out.printf("killed instance: %d events received before the kill, %d after, %d more than once%n",
        beforeKill, EVENTS - beforeKill, duplicates);
    assertThat(duplicates).as("received twice: at most the killed instance's one request in flight")
        .isLessThanOrEqualTo(1);
    assertThat(survivor.destinations().status(Actor.of("alice"), d.id()).pending()).isZero();
  }

  private void startReceiver() throws Exception {
    ObjectMapper json = new ObjectMapper();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(receiverThreads);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // A receiver that takes its time, so that the child is still delivering when it is killed.
      try {
        Thread.sleep(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Gitlab-Event-Streaming-Token"))) {
        received.computeIfAbsent(json.readTree(body).get("id").asText(), k -> new AtomicInteger()).incrementAndGet();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
  }

  private static void readLines(Process p, List<String> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          into.add(line);
        }
      } catch (java.io.IOException e) {
        // Killed: its output ends here.
      }
    }, "child-output");
    t.setDaemon(true);
    t.start();
  }
}
