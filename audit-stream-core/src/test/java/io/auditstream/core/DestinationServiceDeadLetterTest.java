package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationServiceDeadLetterTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:00:00Z");
  private final ServiceFixture f = new ServiceFixture();

  private DeadLetter deadLetter(DestinationId id, String eventId, Instant deadAt) {
    AuditEvent e = AuditEvent.builder().id(eventId).eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
    return new DeadLetter(id, new EncodedEvent(e, "{}".getBytes(StandardCharsets.UTF_8)), T0, 3, deadAt,
        "aged out after 3 attempts: HTTP 503");
  }

  @Test
  void listsADestinationsDeadLettersUpToTheLimit() {
    Destination d = f.createHttp("https://a.example.com");
    Destination other = f.createHttp("https://b.example.com");
    f.delivery.deadLetters.addAll(List.of(deadLetter(d.id(), "e1", T0), deadLetter(d.id(), "e2", T0),
        deadLetter(other.id(), "e3", T0)));

    assertThat(f.service.deadLetters(OWNER, d.id(), 10)).extracting(DeadLetter::eventId).containsExactly("e1", "e2");
    assertThat(f.service.deadLetters(OWNER, d.id(), 1)).extracting(DeadLetter::eventId).containsExactly("e1");
  }

  @Test
  void refusesALimitOutOfRangeNamingIt() {
    Destination d = f.createHttp("https://a.example.com");

    assertThatThrownBy(() -> f.service.deadLetters(OWNER, d.id(), 0)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("limit must be 1 to 1000 (was 0)");
    assertThatThrownBy(() -> f.service.deadLetters(OWNER, d.id(), 1001)).isInstanceOf(ValidationException.class);
  }

  @Test
  void redeliversTheNamedDeadLettersAndSaysHowMany() {
    Destination d = f.createHttp("https://a.example.com");
    f.delivery.deadLetters.addAll(List.of(deadLetter(d.id(), "e1", T0), deadLetter(d.id(), "e2", T0)));

    assertThat(f.service.redeliver(OWNER, d.id(), List.of("e2", "unknown"))).isOne();
    assertThat(f.service.redeliver(OWNER, d.id(), Set.of())).isZero();

    assertThat(f.delivery.redelivered).containsExactly("e2", "unknown");
  }

  @Test
  void redeliversTheDeadLettersGivenUpOnSinceATime() {
    Destination d = f.createHttp("https://a.example.com");
    f.delivery.deadLetters.addAll(List.of(deadLetter(d.id(), "e1", T0), deadLetter(d.id(), "e2", T0.plusSeconds(60))));

    assertThat(f.service.redeliverSince(OWNER, d.id(), T0.plusSeconds(30))).isOne();
    assertThat(f.delivery.redeliveredSince).containsExactly(T0.plusSeconds(30));
  }

  @Test
  void statusCountsTheDeadLettersFromTheDeliverySide() {
    Destination d = f.createHttp("https://a.example.com");

    assertThat(f.service.status(OWNER, d.id()).deadLetters()).isEqualTo(2);
  }

  @Test
  void everyCallThrowsOnceClosed() {
    Destination d = f.createHttp("https://a.example.com");

    f.service.close();

    List<Runnable> calls = List.of(
        () -> f.service.list(OWNER, "acme"),
        () -> f.service.get(OWNER, d.id()),
        () -> f.createHttp("https://b.example.com"),
        () -> f.service.delete(OWNER, d.id()),
        () -> f.service.status(OWNER, d.id()),
        () -> f.service.sendTestEvent(OWNER, d.id()),
        () -> f.service.deadLetters(OWNER, d.id(), 10),
        () -> f.service.redeliver(OWNER, d.id(), List.of("e1")),
        () -> f.service.redeliverSince(OWNER, d.id(), T0),
        () -> f.service.verificationToken(OWNER, d.id()),
        () -> f.service.clearEventTypeFilter(OWNER, d.id()),
        () -> f.service.streamingEnabled("acme"));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class).hasMessage("audit streamer is closed");
    }
    assertThat(f.store.find(d.id())).isPresent();
  }
}
