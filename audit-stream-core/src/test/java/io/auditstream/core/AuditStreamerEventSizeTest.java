package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamerTest.ScriptedSinks;
import io.auditstream.core.fixtures.TestConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event size limit: an event whose JSON is larger is refused whole at stream() and submit(), and counted. */
class AuditStreamerEventSizeTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int LIMIT = 4096;

  private final ScriptedSinks sinks = new ScriptedSinks();
  private AuditStreamer streamer = streamer(LIMIT);

  private AuditStreamer streamer(int maxEventBytes) {
    AuditStreamer s = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .sinkProviders(List.of(sinks)).maxEventBytes(maxEventBytes).closeTimeout(Duration.ofSeconds(1)).build();
    s.destinations().create(ALICE, "acme", DestinationDraft.builder(TestConfig.of(ScriptedSinks.KIND, "q")).build());
    return s;
  }

  @AfterEach
  void close() {
    streamer.close();
  }

  /** An event whose JSON payload is exactly {@code bytes} long, its custom message made of {@code filler}. */
  private static AuditEvent eventOfSize(int bytes, String filler, int fillerBytes) {
    AuditEvent.Builder b = AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, "acme");
    int base = AuditEventJson.encode(b.customMessage("").build()).length;
    int room = bytes - base;
    String message = filler.repeat(room / fillerBytes) + "a".repeat(room % fillerBytes);
    AuditEvent e = b.customMessage(message).build();
    assertThat(AuditEventJson.encode(e)).hasSize(bytes);
    return e;
  }

  @Test
  void anEventExactlyAtTheLimitIsAcceptedAndOneByteMoreIsRefusedAndCounted() throws Exception {
    AuditEvent atLimit = eventOfSize(LIMIT, "a", 1);
    AuditEvent over = eventOfSize(LIMIT + 1, "a", 1);

    assertThat(streamer.stream(atLimit)).isTrue();
    assertThat(streamer.stream(over)).isFalse();
    assertThatThrownBy(() -> streamer.submit(over).get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AuditStreamException.class)
        .hasMessageContaining(over.id()).hasMessageContaining("larger than the streamer's limit of 4096 bytes");
    assertThat(streamer.flush(WAIT)).isTrue();

    // The refused event was sent to no destination, not even in part.
    assertThat(sinks.delivered).extracting(e -> e.event().id()).containsExactly(atLimit.id());
    assertThat(sinks.delivered.get(0).json()).hasSize(LIMIT);
    DeliveryStats stats = streamer.stats();
    assertThat(stats.refusedTooLarge()).isEqualTo(2);
    assertThat(stats.accepted()).isEqualTo(1);
    assertThat(stats.refusedFull()).isZero();
  }

  @Test
  void anEventWhoseBoundLiesAboveTheLimitIsMeasuredExactlyAndAcceptedWhenItFits() throws Exception {
    // A line break counts six bytes in the bound (its longest escape) but takes two: the bound lies above.
    AuditEvent atLimit = eventOfSize(LIMIT, "\n", 2);
    AuditEvent over = eventOfSize(LIMIT + 1, "\n", 2);
    assertThat(atLimit.encodedSizeBound()).isGreaterThan(LIMIT);

    assertThat(streamer.submit(atLimit).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
    assertThat(streamer.stream(over)).isFalse();
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(sinks.delivered).extracting(e -> e.event().id()).containsExactly(atLimit.id());
    assertThat(streamer.stats().refusedTooLarge()).isEqualTo(1);
  }

  @Test
  void aSmallEventIsJudgedByItsBoundAlone() {
    AuditEvent small = eventOfSize(500, "a", 1);

    assertThat(small.encodedSizeBound()).isLessThanOrEqualTo(LIMIT);
    assertThat(streamer.stream(small)).isTrue();
  }

  @Test
  void theDefaultLimitIsOneMebibyte() throws Exception {
    streamer.close();
    streamer = AuditStreamer.builder().accessPolicy((actor, group) -> true).sinkProviders(List.of(sinks))
        .closeTimeout(Duration.ofSeconds(1)).build();
    streamer.destinations().create(ALICE, "acme",
        DestinationDraft.builder(TestConfig.of(ScriptedSinks.KIND, "q")).build());

    assertThat(AuditStreamer.DEFAULT_MAX_EVENT_BYTES).isEqualTo(1 << 20);
    assertThat(streamer.stream(eventOfSize(1 << 20, "a", 1))).isTrue();
    assertThat(streamer.stream(eventOfSize((1 << 20) + 1, "\u00e9", 2))).isFalse();
    assertThat(streamer.stats().refusedTooLarge()).isEqualTo(1);
  }

  @Test
  void aLimitOutOfRangeIsRefusedNamingTheSetting() {
    for (int bad : new int[] {0, 1023, (1 << 28) + 1}) {
      assertThatThrownBy(() -> AuditStreamer.builder().accessPolicy((a, g) -> true).maxEventBytes(bad).build())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("maxEventBytes"))
          .hasMessageContaining("maxEventBytes must be 1024 to 268435456 (was " + bad + ")");
    }
  }
}
