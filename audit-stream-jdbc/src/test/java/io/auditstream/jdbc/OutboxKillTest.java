package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.spi.QueuedDelivery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxKillTest {
  private static final int BATCH = 200;
  private static final int MAX_BATCHES = 450;
  private static final int BATCHES_BEFORE_KILL = 20;

  @TempDir Path dir;

  @Test
  void everyEventReportedCommittedIsThereAfterKillDashNine() throws Exception {
    Path data = dir.resolve("data");
    Path stderr = dir.resolve("writer.err");
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OutboxWriterProcess.class.getName(), data.toString(),
        String.valueOf(BATCH), String.valueOf(MAX_BATCHES))
        .redirectError(stderr.toFile())
        .start();
    List<String> reported = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(writer, reported), "writer-stdout");
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (reported.size() < BATCHES_BEFORE_KILL && writer.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(reported).as("batches reported before the kill; writer's errors: %s", Files.exists(stderr)
          ? Files.readString(stderr) : "").hasSizeGreaterThanOrEqualTo(BATCHES_BEFORE_KILL);
      assertThat(writer.isAlive()).as("killed while still writing").isTrue();

      writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close, nothing flushed by the JVM
      assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(10_000);
      assertThat(reader.isAlive()).isFalse();
    } finally {
      writer.destroyForcibly();
    }

    int committed = reported.size() * BATCH;
    assertThat(reported.get(reported.size() - 1)).isEqualTo(OutboxWriterProcess.eventId(committed - 1));
    try (EmbeddedStore store = EmbeddedStore.open(data, TestEvents::decode)) {
      JdbcOutbox outbox = store.outbox();
      List<QueuedDelivery> all = outbox.lease(OutboxWriterProcess.DESTINATION, Integer.MAX_VALUE, Instant.MAX);
      Set<String> found = all.stream().map(QueuedDelivery::eventId).collect(Collectors.toSet());
      System.out.printf("kill -9 after %d events reported committed (%d batches of %d): %d events found%n",
          committed, reported.size(), BATCH, found.size());

      for (int i = 0; i < committed; i++) {
        assertThat(found).as("reported committed").contains(OutboxWriterProcess.eventId(i));
      }
      assertThat(found.size() - committed).as("at most the batch in flight, whole or not at all")
          .isIn(0, BATCH);
      assertThat(outbox.size()).isEqualTo(found.size());
    }
  }

  private static void readLines(Process process, List<String> into) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        // A line cut short by the kill still followed a commit, but names no id: left out, its batch
        // is then the one "in flight".
        if (line.matches("e-\\d{8}")) {
          into.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
