package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
import io.auditstream.testing.ReceivedEvent;
import io.auditstream.testing.RecordingSinkProvider;
import io.auditstream.testing.TestAccessPolicy;
import io.auditstream.testing.TestDestinations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A paused destination and its backlog across restarts of a streamer over the embedded store. */
class PausedDestinationRestartTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private final RecordingSinkProvider sink = RecordingSinkProvider.create();
  private final List<String> pauses = new CopyOnWriteArrayList<>();

  private AuditStreamer.Builder streamer() {
    EmbeddedStore store = EmbeddedStore.open(dir, AuditEventJson::decode);
    return AuditStreamer.builder()
        .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
        .destinationStore(store.destinations())
        .deliveryQueue(store.outbox())
        .addSinkProvider(sink)
        .deliveryListener(new DeliveryListener() {
          @Override
          public void onPaused(DestinationId destination, String reason) {
            pauses.add(reason);
          }
        })
        .closeTimeout(Duration.ofSeconds(1));
  }

  private static List<AuditEvent> stream(AuditStreamer s, int n) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AuditEvent e = AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, 1L, "acme/p" + i)
          .build();
      assertThat(s.stream(e)).isTrue();
      events.add(e);
    }
    return events;
  }

  private List<String> received(DestinationId id) {
    return sink.received(id).stream().map(r -> r.event().id()).toList();
  }

  @Test
  void pauseAndResumeSurviveARestartAndThePausedBacklogWaitsInTheOutbox() {
    AuditStreamer first = streamer().build();
    Destination d = first.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    first.destinations().pause(ALICE, d.id(), "receiver under maintenance");
    List<AuditEvent> events = stream(first, 3);
    Await.until(WAIT, () -> first.destinations().status(ALICE, d.id()).pending() == 3, "3 events pending");
    first.close();

    AuditStreamer second = streamer().build();
    try {
      assertThat(second.destinations().get(ALICE, d.id()).pausedReason()).contains("receiver under maintenance");
      assertThat(second.destinations().status(ALICE, d.id()).pending()).isEqualTo(3);
      assertThat(second.flush(WAIT)).isTrue();
      assertThat(sink.received()).isEmpty();

      second.destinations().resume(ALICE, d.id());

      assertThat(second.flush(WAIT)).isTrue();
      assertThat(received(d.id())).containsExactlyElementsOf(events.stream().map(AuditEvent::id).toList());
    } finally {
      second.close();
    }

    AuditStreamer third = streamer().build();
    try {
      assertThat(third.destinations().get(ALICE, d.id()).paused()).isFalse();
    } finally {
      third.close();
    }
  }

  @Test
  void anAutomaticPauseIsSavedAndSurvivesARestart() {
    RetryPolicy quick = RetryPolicy.builder().schedule(Duration.ofMillis(20)).maxAge(Duration.ofMinutes(5))
        .jitter(false).build();
    AuditStreamer first = streamer().retryPolicy(quick).autoPauseAfter(Duration.ofMillis(100)).build();
    Destination d = first.destinations().create(ALICE, "acme", TestDestinations.draft().name("SIEM").build());
    sink.failNextAttempts(1_000, true);
    List<AuditEvent> events = stream(first, 1);
    Await.until(WAIT, () -> !pauses.isEmpty(), "the destination paused");
    first.close();

    AuditStreamer second = streamer().build();
    try {
      String reason = "paused automatically after failing for 100 milliseconds: test sink: injected retryable failure";
      assertThat(pauses).containsExactly(reason);
      assertThat(second.destinations().get(ALICE, d.id()).pausedReason()).contains(reason);
      assertThat(second.health()).singleElement().satisfies(h -> {
        assertThat(h.pausedReason()).contains(reason);
        assertThat(h.status().pending()).isOne();
      });

      sink.clear();
      second.destinations().resume(ALICE, d.id());

      assertThat(second.flush(WAIT)).isTrue();
      assertThat(sink.received(d.id())).extracting(ReceivedEvent::event).extracting(AuditEvent::id)
          .containsExactly(events.get(0).id());
    } finally {
      second.close();
    }
  }
}
