package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.fixtures.StandardError;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing an Owner types, nor an event id a host passes on, can forge a log line: what reaches a log
 * message has its line breaks and control characters escaped, and names and pause reasons with them
 * are refused when saved.
 */
class LogForgingTest {
  private static final String FORGED = "2026-01-01 INFO forged";
  private static final String NAME = "x\n" + FORGED;
  private static final Actor ALICE = Actor.of("alice");
  private static final String KIND = "refusing";

  @Test
  void aNameOrPauseReasonWithALineBreakIsRefusedWhenSavedAndLogsNoSecondLine() throws Exception {
    String log = StandardError.capture(() -> {
      try (AuditStreamer streamer = streamer(new InMemoryDestinationStore())) {
        DestinationService service = streamer.destinations();
        assertThatThrownBy(() -> service.create(ALICE, "acme",
            DestinationDraft.builder(TestConfig.of(KIND, "q")).name(NAME).build()))
            .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"))
            .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
        Destination d = service.create(ALICE, "acme", DestinationDraft.builder(TestConfig.of(KIND, "q")).build());
        assertThatThrownBy(() -> service.pause(ALICE, d.id(), "maintenance\n" + FORGED))
            .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("pausedReason"))
            .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
        assertThatThrownBy(() -> service.update(ALICE, d.id(), DestinationUpdate.builder().name(NAME).build()))
            .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(service.get(ALICE, d.id()).name()).doesNotContain("\n");
        assertThat(service.get(ALICE, d.id()).pausedReason()).isEmpty();
      }
    });

    assertNoForgedLine(log);
  }

  @Test
  void aStoredNameWithALineBreakIsLoggedOnOneLineByManagementAndDelivery() throws Exception {
    InMemoryDestinationStore store = new InMemoryDestinationStore();
    // Saved before names were checked for control characters: it still loads, and is logged escaped.
    Destination legacy = Destination.builder().id(DestinationId.random()).groupPath("acme").name(NAME)
        .verificationToken(Secret.of("legacy-token-0123456")).config(TestConfig.of(KIND, "q"))
        .createdAt(Instant.parse("2025-01-01T00:00:00Z")).build();
    store.save(legacy);
    Destination noSink = legacy.toBuilder().id(DestinationId.random()).name("y\n" + FORGED)
        .config(TestConfig.of("absent", "q")).build();
    store.save(noSink);

    String log = StandardError.capture(() -> {
      try (AuditStreamer streamer = streamer(store)) {
        AuditEvent event = AuditEvent.builder().id("event-1").eventType("user_created")
            .entity(EntityType.GROUP, 1L, "acme").build();
        assertThat(streamer.stream(event)).isTrue();
        assertThat(streamer.flush(Duration.ofSeconds(10))).isTrue();
        streamer.destinations().pause(ALICE, legacy.id(), "maintenance");
        streamer.destinations().delete(ALICE, legacy.id());
      }
    });

    assertNoForgedLine(log);
    // The tests log at WARN: the lines of a failing delivery and of a kind without a sink show the escaping.
    assertThat(log).contains("gave up on 1 event(s)").contains("x\\n" + FORGED)
        .contains("receiver said\\n" + FORGED).contains("y\\n" + FORGED + ") cannot be delivered to");
  }

  private static void assertNoForgedLine(String log) {
    assertThat(log.lines()).as(log).noneMatch(line -> line.startsWith(FORGED) || line.startsWith(" " + FORGED));
    assertThat(log).doesNotContain("\u2028", "\u2029", "\r");
  }

  private static AuditStreamer streamer(InMemoryDestinationStore store) {
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .destinationStore(store)
        .sinkProviders(List.of(new RefusingSinks()))
        .build();
  }


  /** A kind whose receiver refuses every event for good, with a reason that tries to start a line. */
  static final class RefusingSinks implements SinkProvider {
    @Override
    public DestinationKind<?> destinationKind() {
      return new TestKind(KIND);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return batch -> {
        throw DeliveryException.permanent("receiver said\n" + FORGED);
      };
    }
  }
}
