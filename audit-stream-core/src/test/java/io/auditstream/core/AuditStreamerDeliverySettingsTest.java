package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.fixtures.TestKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The streamer's delivery settings: the window per destination, the delivery threads, the answer bound. */
class AuditStreamerDeliverySettingsTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RetryPolicy FAST = RetryPolicy.builder().schedule(Duration.ofMillis(5)).jitter(false).build();

  private final AsyncSinks sinks = new AsyncSinks();
  private AuditStreamer streamer;

  @AfterEach
  void close() {
    if (streamer != null) {
      streamer.close();
    }
  }

  private static AuditStreamer.Builder builder() {
    return AuditStreamer.builder().accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"));
  }

  private Destination create() {
    return streamer.destinations().create(ALICE, "acme",
        DestinationDraft.builder(TestConfig.of(AsyncSinks.KIND, "queue-1")).build());
  }

  private static AuditEvent event() {
    return AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, "acme").build();
  }

  @Test
  void refusesAWindowOutsideOneToSixteenNamingTheSettingAndTheRule() {
    for (int bad : new int[] {0, 17}) {
      assertThatThrownBy(() -> builder().maxInFlightPerDestination(bad).build())
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("maxInFlightPerDestination"))
          .hasMessageContaining("maxInFlightPerDestination must be 1 to 16 (was " + bad + ")");
    }
  }

  @Test
  void refusesDeliveryThreadsOutsideTheirRangeNamingTheSettingAndTheRule() {
    assertThatThrownBy(() -> builder().deliveryThreads(0).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("deliveryThreads"))
        .hasMessageContaining("deliveryThreads must be 1 to 256 (was 0)");
  }

  @Test
  void aWindowOfOneDeliversInOrderToASinkThatAllowsSixteen() {
    streamer = builder().sinkProviders(List.of(sinks)).maxInFlightPerDestination(1).deliveryThreads(1).build();
    create();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      AuditEvent e = event();
      ids.add(e.id());
      assertThat(streamer.stream(e)).isTrue();
    }

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinks.delivered).extracting(e -> e.event().id()).containsExactlyElementsOf(ids);
    assertThat(sinks.most.get()).isOne();
  }

  @Test
  void aDeliveryNotAnsweredWithinTheSinksTimeoutsFailsThenIsRetried() {
    streamer = builder().sinkProviders(List.of(sinks)).retryPolicy(FAST)
        .connectTimeout(Duration.ofMillis(50)).requestTimeout(Duration.ofMillis(50)).build();
    sinks.silentOnce.set(true);
    Destination d = create();
    AuditEvent e = event();

    assertThat(streamer.stream(e)).isTrue();

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(sinks.delivered).extracting(x -> x.event().id()).containsExactly(e.id());
    DestinationStatus status = streamer.destinations().status(ALICE, d.id());
    assertThat(status.delivered()).isOne();
    assertThat(status.lastError()).hasValueSatisfying(error -> assertThat(error).startsWith("no answer within"));
  }

  /** Asynchronous sinks of kind {@code async} that allow 16 in flight and answer a little later. */
  static final class AsyncSinks implements SinkProvider {
    static final String KIND = "async";
    final List<EncodedEvent> delivered = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final AtomicBoolean silentOnce = new AtomicBoolean();

    @Override
    public io.auditstream.api.destination.DestinationKind<?> destinationKind() {
      return new TestKind(KIND);
    }

    @Override
    public Sink create(Destination destination, SinkContext context) {
      return new Sink() {
        @Override
        public void deliver(List<EncodedEvent> batch) {
          throw new UnsupportedOperationException("asynchronous only");
        }

        @Override
        public CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, Executor blockingExecutor) {
          if (silentOnce.getAndSet(false)) {
            return new CompletableFuture<>();
          }
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          long micros = ThreadLocalRandom.current().nextLong(100, 1000);
          return CompletableFuture.runAsync(() -> {
            delivered.addAll(batch);
            inFlight.decrementAndGet();
          }, CompletableFuture.delayedExecutor(micros, TimeUnit.MICROSECONDS));
        }

        @Override
        public int maxInFlight() {
          return 16;
        }
      };
    }
  }
}
