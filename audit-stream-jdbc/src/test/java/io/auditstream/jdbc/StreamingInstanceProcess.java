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
 * The host instance that {@link KilledInstanceTest} kills: a streamer on a shared PostgreSQL database
 * that streams events to the destinations stored there, prints {@code accepted=N} once all of them are
 * committed to the outbox, and goes on delivering until it is killed. It never closes anything.
 *
 * <p>Arguments: the JDBC URL (with user), the schema, the number of events, the lease duration in
 * milliseconds.
 */
final class StreamingInstanceProcess {
  private StreamingInstanceProcess() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setMaximumPoolSize(4);
    int events = Integer.parseInt(args[2]);
    PostgresStore store = PostgresStore.builder(new HikariDataSource(config)).schema(args[1]).instanceId("killed")
        .eventDecoder(AuditEventJson::decode).leaseDuration(Duration.ofMillis(Long.parseLong(args[3])))
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
    List<CompletableFuture<Void>> stored = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      stored.add(streamer.submit(AuditEvent.builder().eventType("project_created")
          .entity(EntityType.PROJECT, (long) i, "acme/p" + i).build()));
    }
    CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    PrintStream out = System.out;
    out.println("accepted=" + events);
    out.flush();
    streamer.flush(Duration.ofMinutes(5));
    Thread.sleep(Long.MAX_VALUE);
  }
}
