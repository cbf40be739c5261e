package io.auditstream.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.TestAccessPolicy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The host instance that {@link KilledWhileStreamingTest} kills while it streams: a streamer on a shared
 * PostgreSQL database that streams events {@code e-0}, {@code e-1}, ... in batches, and after each batch's
 * {@code submit} futures completed (its events committed to the outbox) prints {@code committed=N}, N
 * being the index of the batch's last event; so every event up to N is committed. It delivers meanwhile,
 * pauses briefly between batches, and waits to be killed once it has streamed them all. It never closes
 * anything.
 *
 * <p>Arguments: the JDBC URL (with user), the schema, the number of events, the batch size, the lease
 * duration in milliseconds.
 */
final class StreamingBatchesProcess {
  private StreamingBatchesProcess() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setMaximumPoolSize(4);
    int events = Integer.parseInt(args[2]);
    int batch = Integer.parseInt(args[3]);
    PostgresStore store = PostgresStore.builder(new HikariDataSource(config))
        .secretKeys(TestKeys.KEYS).schema(args[1]).instanceId("killed")
        .eventDecoder(AuditEventJson::decode).leaseDuration(Duration.ofMillis(Long.parseLong(args[4])))
        .pollInterval(Duration.ofMillis(200)).open();
    AuditStreamer streamer = AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
        .destinationStore(store.destinations())
        .deliveryQueue(store.outbox())
        .allowLocalNetwork(true)
        .build();
    if (streamer.destinations().list(Actor.of("alice"), "acme").isEmpty()) {
      throw new IllegalStateException("no destination stored for group acme");
    }
    PrintStream out = System.out;
    for (int from = 0; from < events; from += batch) {
      List<CompletableFuture<Void>> stored = new ArrayList<>();
      int to = Math.min(events, from + batch);
      for (int i = from; i < to; i++) {
        stored.add(streamer.submit(AuditEvent.builder().id("e-" + i).eventType("project_created")
            .entity(EntityType.PROJECT, (long) i, "acme/p" + i).build()));
      }
      CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      out.println("committed=" + (to - 1));
      out.flush();
      // Streaming goes on for a while, so that the kill lands in the middle of it.
      Thread.sleep(20);
    }
    out.println("done");
    out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
