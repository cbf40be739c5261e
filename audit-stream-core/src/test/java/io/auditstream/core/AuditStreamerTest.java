package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryListener;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The streamer as a host sees it: accepted events, their futures, counters, dead letters, closing. */
class AuditStreamerTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ScriptedSinks sinks = new ScriptedSinks();
  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  private final AuditStreamer streamer = AuditStreamer.builder()
      .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
      .sinkProviders(List.of(sinks))
      .deliveryListener(new DeliveryListener() {
        @Override
        public void onDeadLetter(DeadLetter deadLetter) {
          deadLetters.add(deadLetter);
        }
      })
      .closeTimeout(Duration.ofSeconds(1))
      .build();

  @AfterEach
  void close() {
    streamer.close();
  }

  private Destination create() {
    return streamer.destinations().create(ALICE, "acme",
        DestinationDraft.builder(TestConfig.of(ScriptedSinks.KIND, "queue-1")).build());
  }

  private static AuditEvent event(String path) {
    return AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, path).build();
  }

  @Test
  void streamAndSubmitAcceptEventsAndTheStatsSayWhatBecameOfThem() throws Exception {
    create();
    AuditEvent streamed = event("acme");
    AuditEvent submitted = event("acme/sub");

    assertThat(streamer.stream(streamed)).isTrue();
    assertThat(streamer.submit(submitted).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
    assertThat(streamer.submit(event("nobody")).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNull();
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(sinks.delivered).extracting(e -> e.event().id()).containsExactly(streamed.id(), submitted.id());
    assertThat(streamer.stats()).isEqualTo(new DeliveryStats(3, 0, 0, 0, 2, 0));
    assertThat(streamer.droppedCount()).isZero();
  }

  @Test
  void afterCloseStreamRefusesSubmitFailsAndEveryDestinationCallThrows() {
    Destination d = create();

    streamer.close();

    assertThat(streamer.stream(event("acme"))).isFalse();
    AuditEvent late = event("acme");
    assertThat(streamer.submit(late)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(AuditStreamException.class)
        .withMessage("audit streamer is closed: event " + late.id() + " was not accepted");
    assertThatThrownBy(() -> streamer.destinations().list(ALICE, "acme")).isInstanceOf(IllegalStateException.class)
        .hasMessage("audit streamer is closed");
    assertThatThrownBy(() -> streamer.destinations().status(ALICE, d.id())).isInstanceOf(IllegalStateException.class);
    assertThat(streamer.stats().refusedClosed()).isEqualTo(2);
  }

  @Test
  void deadLettersReachTheListenerAndTheOwnerRedeliversThem() {
    Destination d = create();
    sinks.refusing = true;
    AuditEvent refused = event("acme");
    streamer.stream(refused);
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(deadLetters).singleElement().satisfies(dl -> {
      assertThat(dl.eventId()).isEqualTo(refused.id());
      assertThat(dl.reason()).isEqualTo("refused for good after 1 attempt: HTTP 422");
    });
    assertThat(streamer.destinations().status(ALICE, d.id()).deadLetters()).isOne();
    assertThat(streamer.destinations().deadLetters(ALICE, d.id(), 10)).containsExactlyElementsOf(deadLetters);
    sinks.refusing = false;

    assertThat(streamer.destinations().redeliver(ALICE, d.id(), List.of(refused.id()))).isOne();

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinks.delivered).extracting(e -> e.event().id()).containsExactly(refused.id());
    assertThat(streamer.destinations().status(ALICE, d.id()).deadLetters()).isZero();
    assertThat(streamer.stats().deadLettered()).isOne();
    assertThat(streamer.stats().delivered()).isOne();
  }

  @Test
  void aListenerMustBeGiven() {
    assertThatThrownBy(() -> AuditStreamer.builder().accessPolicy((a, g) -> true).deliveryListener(null).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("deliveryListener");
  }

  @Test
  void theObserverGivenToTheBuilderHearsEveryDeliveryAndDeadLetter() {
    List<String> heard = new CopyOnWriteArrayList<>();
    DeliveryObserver observer = new DeliveryObserver() {
      @Override
      public void delivered(Destination destination, List<QueuedDelivery> deliveries, Instant at) {
        heard.add("delivered " + deliveries.size() + " to " + destination.name());
      }

      @Override
      public void attemptFailed(Destination destination, int deliveries, boolean retried) {
        heard.add("failed " + deliveries + (retried ? ", retried" : ", not retried"));
      }

      @Override
      public void deadLettered(Destination destination, int deliveries) {
        heard.add("dead letters " + deliveries + " of " + destination.name());
      }
    };
    try (AuditStreamer observed = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .sinkProviders(List.of(sinks))
        .deliveryObserver(observer)
        .closeTimeout(Duration.ofSeconds(1))
        .build()) {
      observed.destinations().create(ALICE, "acme",
          DestinationDraft.builder(TestConfig.of(ScriptedSinks.KIND, "queue-1")).name("siem").build());
      observed.stream(event("acme"));
      assertThat(observed.flush(WAIT)).isTrue();
      sinks.refusing = true;
      observed.stream(event("acme"));
      assertThat(observed.flush(WAIT)).isTrue();
    }

    assertThat(heard).containsExactly("delivered 1 to siem", "failed 1, not retried", "dead letters 1 of siem");
  }

  @Test
  void theObserverMustNotBeNull() {
    assertThatThrownBy(() -> AuditStreamer.builder().deliveryObserver(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("observer");
  }

  @Test
  void theQueueCapacityMustBeOneToTwoToTheThirtieth() {
    assertThatThrownBy(() -> AuditStreamer.builder().accessPolicy((a, g) -> true).queueCapacity(0).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("queueCapacity must be 1 to 1073741824 (was 0)");
    assertThatThrownBy(() -> AuditStreamer.builder().accessPolicy((a, g) -> true).queueCapacity((1 << 30) + 1).build())
        .isInstanceOf(ValidationException.class).hasMessageContaining("queueCapacity must be 1 to 1073741824");
  }

  /** Sinks of kind {@code scripted} that record what they deliver, and refuse everything for good when told to. */
  static final class ScriptedSinks implements SinkProvider {
    static final String KIND = "scripted";
    final List<EncodedEvent> delivered = new CopyOnWriteArrayList<>();
    volatile boolean refusing;

    @Override
    public io.auditstream.api.destination.DestinationKind<?> destinationKind() {
      return new TestKind(KIND);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return batch -> {
        if (refusing) {
          throw DeliveryException.permanent("HTTP 422");
        }
        delivered.addAll(batch);
      };
    }
  }
}
