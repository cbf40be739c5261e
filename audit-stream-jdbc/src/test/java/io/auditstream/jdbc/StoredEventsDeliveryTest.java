package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import io.auditstream.testing.ReceivedEvent;
import io.auditstream.testing.RecordingSinkProvider;
import io.auditstream.testing.TestAccessPolicy;
import io.auditstream.testing.TestDestinations;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamer upgraded over the embedded store delivers what an earlier version left in its outbox, with
 * an event that the earlier version's rules accepted and this version's refuse as new input: the sink
 * gets the very payload that was stored.
 */
class StoredEventsDeliveryTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final RecordingSinkProvider sink = RecordingSinkProvider.create();

  private AuditStreamer streamer() {
    EmbeddedStore store = EmbeddedStore.open(dir, AuditEventJson::decode);
    return AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
        .destinationStore(store.destinations())
        .deliveryQueue(store.outbox())
        .addSinkProvider(sink)
        .closeTimeout(Duration.ofSeconds(1))
        .build();
  }

  @Test
  void deliversAQueuedEventWhoseIdTypeAndDetailsTheNewRulesRefuseWithItsStoredPayload() throws Exception {
    AuditStreamer first = streamer();
    Destination d = first.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    first.destinations().pause(ALICE, d.id(), "upgrade");
    assertThat(first.stream(AuditEvent.builder().id("placeholder").eventType("user_created")
        .entity(EntityType.GROUP, 42L, "acme").build())).isTrue();
    Await.until(WAIT, () -> first.destinations().status(ALICE, d.id()).pending() == 1, "1 event pending");
    first.close();
    // The row as the earlier version wrote it: its id, type and details break the rules new input follows.
    String json = StoredEventsUpgradeTest.payload("orders/42 v1", "user created", "{\"note\":\"half \\ud83d\"}");
    RawDatabase.update(dir, "INSERT INTO events (event_id, payload, created_at) SELECT ?, ?, created_at FROM events"
        + " WHERE event_id = 'placeholder'", "orders/42 v1", json);
    RawDatabase.update(dir, "UPDATE deliveries SET event_id = ? WHERE event_id = 'placeholder'", "orders/42 v1");
    RawDatabase.update(dir, "DELETE FROM events WHERE event_id = 'placeholder'");

    AuditStreamer second = streamer();
    try {
      second.destinations().resume(ALICE, d.id());
      assertThat(second.flush(WAIT)).isTrue();

      assertThat(sink.received(d.id())).singleElement().satisfies((ReceivedEvent r) -> {
        assertThat(r.event().id()).isEqualTo("orders/42 v1");
        assertThat(r.eventType()).isEqualTo("user created");
        assertThat(r.json()).isEqualTo(json);
      });
      assertThat(second.destinations().status(ALICE, d.id()).deadLetters()).isZero();
    } finally {
      second.close();
    }
  }
}
