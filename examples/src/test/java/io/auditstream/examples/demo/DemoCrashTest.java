package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
  private CountingReceiver receiver;
  private final DemoProcesses demos = new DemoProcesses();

  @BeforeEach
  void startReceiver() throws Exception {
    // One request in forty fails, as a flaky receiver would: those events are retried (each failure
    // holds its destination for the demo's first retry step, so more would only slow the test).
    receiver = new CountingReceiver(TOKEN, 40);
  }

  @AfterEach
  void stop() {
    demos.close();
    receiver.close();
  }

  @Test
  void everyAcceptedEventReachesTheReceiverAfterAKillDuringDelivery() throws Exception {
    DemoProcesses.Run first = demos.start("--data-dir", dataDir.toString(), "--destination-url", receiver.url(),
        "--allow-local-network", "--verification-token", TOKEN, "--events", String.valueOf(EVENTS));

    Await.until(WAIT, () -> first.output().contains("accepted=" + EVENTS),
        "the first run to report every event stored");
    Await.until(WAIT, () -> receiver.received().size() >= EVENTS / 10 || !first.process().isAlive(),
        "deliveries to be under way");
    assertThat(first.process().isAlive()).as("the first run is still delivering when it is killed").isTrue();
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    int beforeDrain = receiver.received().size();

    DemoProcesses.Run drain = demos.start("--data-dir", dataDir.toString(), "--drain", "--allow-local-network");
    assertThat(drain.process().waitFor(40, TimeUnit.SECONDS)).as("the drain run ends; its output: %s", drain.output())
        .isTrue();

    assertThat(drain.process().exitValue()).as("drain output: %s", drain.output()).isZero();
    assertThat(receiver.received()).as("every accepted event was received").hasSize(EVENTS);
    System.out.printf("crash test: %d events received before the kill, %d after, %d received more than once%n",
        beforeDrain, EVENTS - beforeDrain, receiver.duplicates());
    assertThat(drain.output()).anySatisfy(line -> assertThat(line).startsWith("delivered=")
        .endsWith("failed=0 pending=0 dropped=0"));
  }
}
