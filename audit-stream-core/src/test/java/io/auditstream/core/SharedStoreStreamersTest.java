package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamerTest.ScriptedSinks;
import io.auditstream.core.fixtures.SharedStore;
import io.auditstream.core.fixtures.TestConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two host instances whose streamers share one destination store: a destination created, changed or
 * deleted through one is in effect in the other within seconds, without the other being told.
 */
class SharedStoreStreamersTest {
  private static final Actor ALICE = Actor.of("alice");
  /** How soon a change made through one instance must be in effect in the other. */
  private static final Duration IN_EFFECT_WITHIN = Duration.ofSeconds(5);

  private final SharedStore store = new SharedStore();
  private final ScriptedSinks sinks = new ScriptedSinks();
  private final AuditStreamer managing = streamer();
  private final AuditStreamer streaming = streamer();

  private AuditStreamer streamer() {
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE))
        .destinationStore(store)
        .sinkProviders(List.of(sinks))
        .closeTimeout(Duration.ofSeconds(1))
        .build();
  }

  @AfterEach
  void close() {
    managing.close();
    streaming.close();
  }

  private static AuditEvent event(String type) {
    return AuditEvent.builder().eventType(type).entity(EntityType.GROUP, 1L, "acme/sub").build();
  }

  /** Whether an event of {@code type} streamed through the second instance is delivered. */
  private boolean delivered(String type) {
    AuditEvent e = event(type);
    streaming.stream(e);
    streaming.flush(Duration.ofSeconds(2));
    return sinks.delivered.stream().anyMatch(d -> d.event().id().equals(e.id()));
  }

  /** Whether {@code delivered(type)} becomes {@code expected} within {@link #IN_EFFECT_WITHIN}. */
  private boolean becomes(boolean expected, String type) {
    long deadline = System.nanoTime() + IN_EFFECT_WITHIN.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (delivered(type) == expected) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    return false;
  }

  private Destination create() {
    return managing.destinations().create(ALICE, "acme",
        DestinationDraft.builder(TestConfig.of(ScriptedSinks.KIND, "queue-1")).build());
  }

  @Test
  void aDestinationCreatedThroughOneInstanceReceivesWhatTheOtherStreams() {
    assertThat(delivered("user_created")).isFalse();

    create();

    assertThat(becomes(true, "user_created")).isTrue();
  }

  @Test
  void filtersAndPausesSetThroughOneInstanceApplyToWhatTheOtherStreams() {
    Destination d = create();
    assertThat(becomes(true, "group_renamed")).isTrue();

    managing.destinations().setEventTypeFilter(ALICE, d.id(), Set.of("user_created"));
    assertThat(becomes(false, "group_renamed")).isTrue();
    assertThat(delivered("user_created")).isTrue();

    managing.destinations().pause(ALICE, d.id(), "maintenance");
    assertThat(becomes(false, "user_created")).isTrue();
    long held = streaming.destinations().status(ALICE, d.id()).pending();
    assertThat(held).isPositive();

    managing.destinations().resume(ALICE, d.id());
    assertThat(becomes(true, "user_created")).isTrue();
    assertThat(streaming.destinations().status(ALICE, d.id()).pending()).isZero();
  }

  @Test
  void aDestinationDeletedThroughOneInstanceReceivesNothingMoreFromTheOther() {
    Destination d = create();
    assertThat(becomes(true, "user_created")).isTrue();

    managing.destinations().delete(ALICE, d.id());

    assertThat(becomes(false, "user_created")).isTrue();
    assertThat(delivered("user_created")).isFalse();
  }
}
