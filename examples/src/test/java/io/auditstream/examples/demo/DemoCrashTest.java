package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.auditstream.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee across a crash: the demo, in a child JVM with a data folder, streams thousands of
 * events to a receiver that fails part of the time, is killed with SIGKILL while delivering, and a
 * second run with {@code --drain} on the same folder delivers every event the first run reported
 * accepted. Duplicates (events delivered, or received, just before the kill) are counted and reported.
 */
class DemoCrashTest {
  private static final int EVENTS = 3000;
  private static final String TOKEN = "crash-token-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dataDir;
  private HttpServer receiver;
  /** Event id to the number of times it was received with a 2xx answer. */
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Process> processes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws IOException {
    ObjectMapper json = new ObjectMapper();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(4));
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // One request in forty fails, as a flaky receiver would: those events are retried (each failure
      // holds its destination for the demo's first retry step, so more would only slow the test).
      boolean fail = requests.incrementAndGet() % 40 == 0;
      if (!fail && TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Gitlab-Event-Streaming-Token"))) {
        String id = json.readTree(body).get("id").asText();
        received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      }
      exchange.sendResponseHeaders(fail ? 503 : 200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    receiver.stop(0);
    ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
  }

  @Test
  void everyAcceptedEventReachesTheReceiverAfterAKillDuringDelivery() throws Exception {
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    Process first = demo("--data-dir", dataDir.toString(), "--destination-url", url, "--allow-local-network",
        "--verification-token", TOKEN, "--events", String.valueOf(EVENTS));
    List<String> firstOut = new CopyOnWriteArrayList<>();
    readLines(first, firstOut);

    Await.until(WAIT, () -> firstOut.contains("accepted=" + EVENTS), "the first run to report every event stored");
    Await.until(WAIT, () -> received.size() >= EVENTS / 10 || !first.isAlive(), "deliveries to be under way");
    assertThat(first.isAlive()).as("the first run is still delivering when it is killed").isTrue();
    first.destroyForcibly();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int beforeDrain = received.size();

    Process drain = demo("--data-dir", dataDir.toString(), "--drain", "--allow-local-network");
    List<String> drainOut = new CopyOnWriteArrayList<>();
    readLines(drain, drainOut);
    assertThat(drain.waitFor(40, TimeUnit.SECONDS)).as("the drain run ends; its output: %s", drainOut).isTrue();

    assertThat(drain.exitValue()).as("drain output: %s", drainOut).isZero();
    assertThat(received).as("every accepted event was received").hasSize(EVENTS);
    long duplicates = received.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
    System.out.printf("crash test: %d events received before the kill, %d after, %d received more than once%n",
        beforeDrain, EVENTS - beforeDrain, duplicates);
    assertThat(drainOut).anySatisfy(line -> assertThat(line).startsWith("delivered=").endsWith("failed=0 pending=0"));
  }

  private Process demo(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DemoApplication.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  private static void readLines(Process p, List<String> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          into.add(line);
        }
      } catch (IOException e) {
        // The process was killed: its output ends here.
      }
    }, "demo-output");
    t.setDaemon(true);
    t.start();
  }
}
