package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamerTest.ScriptedSinks;
import io.auditstream.core.fixtures.Eventually;
import io.auditstream.core.fixtures.HostConnections;
import io.auditstream.core.fixtures.SharedQueue;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.sql.Connection;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AuditStreamer#streamInTransaction}: events added inside the host's own database transaction. */
class AuditStreamerTransactionTest {
  private static final Actor ALICE = Actor.of("alice");

  private final ScriptedSinks sinks = new ScriptedSinks();
  private final SharedQueue queue = new SharedQueue(new InMemoryDeliveryQueue(), Duration.ofMillis(50));
  private final AuditStreamer streamer = streamer(queue);

  private AuditStreamer streamer(io.auditstream.api.spi.DeliveryQueue deliveryQueue) {
    AuditStreamer.Builder b = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE))
        .sinkProviders(List.of(sinks))
        .closeTimeout(Duration.ofSeconds(1));
    return (deliveryQueue != null ? b.deliveryQueue(deliveryQueue) : b).build();
  }

  @AfterEach
  void close() {
    streamer.close();
  }

  private static Connection transaction() {
    return HostConnections.create();
  }

  private static AuditEvent event() {
    return AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
  }

  private static boolean eventually(BooleanSupplier condition) {
    return Eventually.within(Duration.ofSeconds(10), condition);
  }

  private List<String> deliveredIds() {
    return sinks.delivered.stream().map(e -> e.event().id()).toList();
  }

  @Test
  void anEventAppendedInACommittedTransactionIsDeliveredAndOneRolledBackIsNot() throws Exception {
    streamer.destinations().create(ALICE, "acme",
        DestinationDraft.builder(TestConfig.of(ScriptedSinks.KIND, "queue-1")).build());
    Connection committed = transaction();
    Connection rolledBack = transaction();
    AuditEvent kept = event();
    AuditEvent lost = event();

    streamer.streamInTransaction(committed, kept);
    streamer.streamInTransaction(rolledBack, lost);

    assertThat(queue.appended).hasSize(2);
    assertThat(queue.appended.get(0).getKey()).isSameAs(committed);
    assertThat(queue.appended.get(0).getValue().json()).isEqualTo(AuditEventJson.encode(kept));
    queue.rollback(rolledBack);
    queue.commit(committed);
    assertThat(eventually(() -> deliveredIds().contains(kept.id()))).isTrue();
    int drains = Collections.frequency(queue.calls, "destinations");
    assertThat(eventually(() -> Collections.frequency(queue.calls, "destinations") >= drains + 3)).isTrue();
    assertThat(deliveredIds()).containsExactly(kept.id());
  }

  @Test
  void aQueueWithoutAnInboxIsRefusedNamingWhatIsNeeded() {
    try (AuditStreamer inMemory = streamer(null)) {
      assertThatThrownBy(() -> inMemory.streamInTransaction(transaction(), event()))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("streamInTransaction needs a delivery queue with an inbox")
          .hasMessageContaining(InMemoryDeliveryQueue.class.getName());
    }
  }

  @Test
  void anEventLargerThanTheLimitIsRefusedAndNothingIsAppended() {
    AuditEvent large = AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 1L, "acme")
        .customMessage("a".repeat(AuditStreamer.DEFAULT_MAX_EVENT_BYTES)).build();
    Connection connection = transaction();

    assertThatThrownBy(() -> streamer.streamInTransaction(connection, large))
        .isInstanceOf(io.auditstream.api.AuditStreamException.class)
        .hasMessageContaining("larger than the streamer's limit of 1048576 bytes");
    assertThat(queue.appended).isEmpty();
  }

  @Test
  void aClosedStreamerRefusesEvents() {
    streamer.close();

    assertThatThrownBy(() -> streamer.streamInTransaction(transaction(), event()))
        .isInstanceOf(IllegalStateException.class).hasMessage("audit streamer is closed");
    assertThat(queue.appended).isEmpty();
  }

  @Test
  void aMissingEventIsRefusedAsStreamRefusesIt() {
    assertThatThrownBy(() -> streamer.streamInTransaction(transaction(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("event");
    assertThatThrownBy(() -> streamer.stream(null)).isInstanceOf(NullPointerException.class).hasMessage("event");
    assertThat(queue.appended).isEmpty();
  }
}
