package io.auditstream.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.spi.AccessPolicy;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.spring.testapp.Receiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class AuditStreamHealthIndicatorTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final AccessPolicy ALICE_OWNS_ACME = (actor, group) -> actor.equals(ALICE) && group.equals("acme");

  @TempDir
  Path data;

  private final Receiver failing = new Receiver();
  private final Receiver healthy = new Receiver();
  private EmbeddedStore store;
  private AuditStreamer streamer;

  private void start() {
    store = EmbeddedStore.open(data, AuditEventJson::decode);
    streamer = AuditStreamer.builder().accessPolicy(ALICE_OWNS_ACME).destinationStore(store.destinations())
        .deliveryQueue(store.outbox()).allowLocalNetwork(true).allowPlainHttp(true)
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(20)).jitter(false).build()).build();
  }

  @AfterEach
  void stop() {
    if (streamer != null) {
      streamer.close();
    }
    if (store != null) {
      store.close();
    }
    failing.close();
    healthy.close();
  }

  @Test
  void aDestinationThatFailsEveryRequestLeavesTheHostUpAndIsShownInTheDetails() {
    start();
    failing.answer(503);
    streamer.destinations().create(ALICE, "acme", DestinationDraft.http(failing.url("/down")).name("down").build());
    streamer.destinations().create(ALICE, "acme", DestinationDraft.http(healthy.url("/up")).name("up").build());
    streamer.stream(AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, 1L, "acme/web").build());
    AuditStreamHealthIndicator indicator = new AuditStreamHealthIndicator(streamer);
    assertThat(Receiver.eventually(Duration.ofSeconds(20), () -> failingCount(indicator.health(true)) == 1)).isTrue();

    Health health = indicator.health(true);

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("engine", "running")
        .containsEntry("destinations", Map.of("total", 2, "failing", 1, "paused", 0));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> shown = (List<Map<String, Object>>) health.getDetails().get("failing");
    assertThat(shown).singleElement().satisfies(f -> assertThat(f).containsEntry("name", "down")
        .containsEntry("group", "acme").containsEntry("kind", "http").containsKey("lastError"));
  }

  @Test
  void aClosedStreamerIsDown() {
    start();
    AuditStreamHealthIndicator indicator = new AuditStreamHealthIndicator(streamer);
    assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);

    streamer.close();

    Health health = indicator.health(true);
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("engine", "stopped");
  }

  @Test
  void anUnreachableStoreIsDown() {
    start();
    AuditStreamHealthIndicator indicator = new AuditStreamHealthIndicator(streamer);
    assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);

    store.close();

    assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
  }

  private static int failingCount(Health h) {
    Object d = h.getDetails().get("destinations");
    return d instanceof Map<?, ?> m ? ((Number) m.get("failing")).intValue() : -1;
  }
}
