package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryEngineTest {
  private final InMemoryDestinationStore store = new InMemoryDestinationStore();
  private final TestSinkProvider provider = new TestSinkProvider();
  private final List<Destination> sinksMadeFor = new CopyOnWriteArrayList<>();
  private DeliveryEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close(Duration.ofSeconds(5));
    }
  }

  private DeliveryEngine create(SinkFactory sinks) {
    engine = DeliveryEngine.create(store, sinks, new InMemoryDeliveryQueue(100), RetryPolicy.defaults(), 100,
        Clock.systemUTC());
    return engine;
  }

  @Test
  void deliversThroughTheSinksItsFactoryMakesLazilyOncePerSettings() {
    Destination d = destination("acme", "siem").build();
    store.save(d);
    create(dest -> {
      sinksMadeFor.add(dest);
      return provider.create(dest, SinkContext.defaults());
    });

    engine.start();
    assertThat(sinksMadeFor).isEmpty();
    engine.stream(groupEvent("acme"));
    engine.stream(groupEvent("acme/sub"));
    assertThat(engine.flush(Duration.ofSeconds(10))).isTrue();
    Destination renamed = d.toBuilder().name("siem-2").build();
    engine.destinationSaved(renamed);
    engine.stream(groupEvent("acme"));
    assertThat(engine.flush(Duration.ofSeconds(10))).isTrue();

    assertThat(sinksMadeFor).containsExactly(d, renamed);
    assertThat(provider.delivered(d.id())).hasSize(3);
    assertThat(engine.status(d.id()).delivered()).isEqualTo(3);
  }

  @Test
  void aFactoryWithoutASinkForTheKindFailsTheDeliveriesWithItsMessage() {
    Destination d = destination("acme", "siem").build();
    store.save(d);
    create(dest -> {
      throw new MissingSinkException(dest.kind(), "no sink for kind 'test': add io.example:sink-test");
    });
    engine.start();

    engine.stream(groupEvent("acme"));
    assertThat(engine.flush(Duration.ofSeconds(10))).isTrue();

    DestinationStatus s = engine.status(d.id());
    assertThat(s.failed()).isEqualTo(1);
    assertThat(s.lastError()).hasValue("no sink for kind 'test': add io.example:sink-test");
  }

  @Test
  void refusesEventsOnceClosed() {
    create(dest -> provider.create(dest, SinkContext.defaults())).start();

    engine.close(Duration.ZERO);

    assertThat(engine.stream(groupEvent("acme"))).isFalse();
    assertThat(engine.enqueueDirect(destination("acme", "siem").build(), groupEvent("acme"))).isFalse();
  }

  @Test
  void refusesAnIngressCapacityBelowOne() {
    assertThatThrownBy(() -> DeliveryEngine.create(store, dest -> null, new InMemoryDeliveryQueue(1),
        RetryPolicy.defaults(), 0, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ingressCapacity must be at least 1 (was 0)");
  }
}
