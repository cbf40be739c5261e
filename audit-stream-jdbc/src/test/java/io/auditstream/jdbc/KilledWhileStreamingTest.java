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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A host instance in a child JVM is killed with SIGKILL in the middle of streaming, before it stored
 * all it meant to: every event it had reported committed (its {@code submit} futures completed) reaches
 * the receiver, delivered by the other instance once the killed one's leases expired; what it never
 * reported committed may or may not arrive; what arrives twice is at most its one window of requests in
 * flight (HTTP destinations take 16 at once).
 */
class KilledWhileStreamingTest {
  private static final int EVENTS = 20_000;
  private static final int BATCH = 50;
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final String TOKEN = "kill-stream-token-012345";

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
  void everyEventTheKilledInstanceReportedCommittedIsDeliveredWithDuplicatesBoundedByItsInFlightWindow()
      throws Exception {
    startReceiver();
    String schema = PostgresFixture.freshSchema();
    pool = PostgresFixture.pool(4);
    PostgresStore store = PostgresStore.builder(pool)
        .secretKeys(TestKeys.KEYS).schema(schema).instanceId("survivor")
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
        "-cp", System.getProperty("java.class.path"), StreamingBatchesProcess.class.getName(),
        PostgresFixture.jdbcUrl(), schema, String.valueOf(EVENTS), String.valueOf(BATCH),
        String.valueOf(LEASE.toMillis()))
        .redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    readLines(child, output);

    // Killed while streaming and delivering: some batches committed, some deliveries made, not all streamed.
    Await.until(Duration.ofSeconds(30), () -> lastCommitted(output) >= 10 * BATCH && received.size() >= BATCH
        || !child.isAlive(), "the child to commit batches and deliver some");
    assertThat(child.isAlive()).as("the child is alive when it is killed; its output: %s", output).isTrue();
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int committed = lastCommitted(output) + 1;
    assertThat(output).as("killed before it streamed everything").doesNotContain("done");
    assertThat(committed).as("killed before it stored everything").isLessThan(EVENTS);
    Set<String> reported = IntStream.range(0, committed).mapToObj(i -> "e-" + i).collect(Collectors.toSet());
    int beforeKill = received.size();

    Await.until(Duration.ofSeconds(30), () -> received.keySet().containsAll(reported),
        "every event the child reported committed to be delivered by the survivor");
    assertThat(survivor.flush(Duration.ofSeconds(20))).isTrue();
    Set<String> streamed = IntStream.range(0, EVENTS).mapToObj(i -> "e-" + i).collect(Collectors.toSet());
    assertThat(streamed).as("nothing received that was never streamed").containsAll(received.keySet());
    long duplicates = received.values().stream().filter(n -> n.get() > 1).count();
    System.out.printf("killed while streaming: %d reported committed, %d received before the kill, %d in all"
        + " (%d not reported), %d more than once%n", committed, beforeKill, received.size(),
        received.size() - committed, duplicates);
    assertThat(duplicates).as("received twice: at most the killed instance's window of requests in flight")
        .isLessThanOrEqualTo(AuditStreamer.DEFAULT_MAX_IN_FLIGHT_PER_DESTINATION);
    assertThat(survivor.destinations().status(Actor.of("alice"), d.id()).pending()).isZero();
  }

  /** The index of the last event the child reported committed, or -1. */
  private static int lastCommitted(List<String> output) {
    int last = -1;
    for (String line : output) {
      if (line.startsWith("committed=")) {
        last = Math.max(last, Integer.parseInt(line.substring("committed=".length())));
      }
    }
    return last;
  }

  private void startReceiver() throws Exception {
    ObjectMapper json = new ObjectMapper();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(receiverThreads);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
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
