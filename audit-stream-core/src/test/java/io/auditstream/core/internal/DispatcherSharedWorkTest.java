package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.event;
import static io.auditstream.core.internal.DispatcherFixture.eventually;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.DeliveryObserver;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.fixtures.HostConnections;
import io.auditstream.core.fixtures.SharedQueue;
import io.auditstream.core.fixtures.SharedStore;
import io.auditstream.core.internal.RecordingListener.Drop;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Engines that share a store and a queue with other processes: they find the others' destination changes
 * and work by polling, and route what host transactions appended to the queue's inbox.
 */
class DispatcherSharedWorkTest {
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Connection HOST_TRANSACTION = HostConnections.create();

  private final SharedStore store = new SharedStore();
  private final TestSinkProvider sinks = new TestSinkProvider();
  private final RecordingListener listener = new RecordingListener();
  private final RecordingScheduler scheduler = new RecordingScheduler();
  private final MutableClock clock = new MutableClock(DispatcherFixture.START);
  private final List<Dispatcher> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(e -> e.close(Duration.ofMillis(100)));
  }

  private Dispatcher engine(DeliveryQueue queue) {
    Dispatcher engine = new Dispatcher(store, d -> sinks.create(d, SinkContext.defaults()), queue,
        DispatcherFixture.FAST_RETRIES, 1000, clock, listener, DeliveryObserver.NONE, Duration.ZERO,
        DestinationPauser.NONE, scheduler, Duration.ZERO, POLL, DeliverySettings.defaults());
    engines.add(engine);
    return engine;
  }

  private static SharedQueue sharedQueue(int maxPerDestination) {
    return new SharedQueue(InMemoryDeliveryQueue.builder().maxEventsPerDestination(maxPerDestination).build(), POLL);
  }

  private static List<String> ids(List<EncodedEvent> events) {
    return events.stream().map(e -> e.event().id()).toList();
  }

  private static EncodedEvent encoded(AuditEvent event) {
    return new EncodedEvent(event, AuditEventJson.encode(event));
  }

  @Test
  void deliversWhatAnotherProcessQueuedWithoutBeingToldOfIt() throws Exception {
    Destination a = destination("acme", "a").build();
    store.save(a);
    SharedQueue queue = sharedQueue(100);
    engine(queue).start();

    // Another process offers to the shared queue: this engine hears nothing of it but its poll.
    queue.offer(List.of(new QueuedDelivery(a.id(), encoded(groupEvent("acme")), clock.instant())));

    assertThat(sinks.awaitDelivered(a.id(), 1)).isTrue();
    assertThat(eventually(() -> queue.size(a.id()) == 0)).isTrue();
  }

  @Test
  void routesInboxEventsOnceThroughTheFiltersAndDropsWhatTheQueueRefusesAsStreamedEventsAre() throws Exception {
    Destination filtered = destination("acme", "filtered").eventTypeFilter(Set.of("user_created")).build();
    Destination paused = destination("acme", "paused").paused("maintenance").build();
    Destination inactive = destination("acme", "inactive").active(false).build();
    Destination elsewhere = destination("globex", "elsewhere").build();
    List.of(filtered, paused, inactive, elsewhere).forEach(store::save);
    SharedQueue queue = sharedQueue(2);
    Dispatcher first = engine(queue);
    Dispatcher second = engine(queue);
    first.start();
    second.start();
    AuditEvent created = event("user_created", EntityType.GROUP, "acme");
    AuditEvent renamed = event("group_renamed", EntityType.GROUP, "acme/sub");
    AuditEvent createdAgain = event("user_created", EntityType.PROJECT, "acme/sub/app");

    for (AuditEvent e : List.of(created, renamed, createdAgain)) {
      queue.appendInTransaction(HOST_TRANSACTION, encoded(e));
    }
    queue.commit(HOST_TRANSACTION);

    assertThat(sinks.awaitDelivered(filtered.id(), 2)).isTrue();
    // Both engines keep polling: each event is still routed once.
    int drains = queue.calls.size();
    assertThat(eventually(() -> queue.calls.size() >= drains + 8)).isTrue();
    // Once each; in either order, as both engines' lanes lease from this queue, which has no claims.
    assertThat(ids(sinks.delivered(filtered.id()))).containsExactlyInAnyOrder(created.id(), createdAgain.id());
    // The paused destination's backlog holds two: the third delivery is refused and dropped, as for a streamed event.
    assertThat(queue.size(paused.id())).isEqualTo(2);
    assertThat(listener.drops).containsExactly(new Drop(paused.id(), createdAgain.id(), "destination backlog full"));
    assertThat(first.stats().dropped() + second.stats().dropped()).isOne();
    assertThat(queue.size(inactive.id())).isZero();
    assertThat(sinks.delivered(elsewhere.id())).isEmpty();
    assertThat(queue.inboxSize()).isZero();
  }

  @Test
  void drainsTheInboxAgainAtOnceWhileABatchComesBackFull() {
    SharedQueue queue = sharedQueue(100);
    int events = 2 * SharedQueuePoll.INBOX_BATCH + 10;
    for (int i = 0; i < events; i++) {
      queue.appendInTransaction(HOST_TRANSACTION, encoded(groupEvent("nobody")));
    }
    queue.commit(HOST_TRANSACTION);

    engine(queue).start();

    // The start looks at the queue's destinations once; then comes the first poll.
    assertThat(eventually(() -> queue.calls.size() >= 5)).isTrue();
    assertThat(queue.calls.subList(0, 5)).containsExactly("destinations", "drain " + SharedQueuePoll.INBOX_BATCH,
        "drain " + SharedQueuePoll.INBOX_BATCH, "drain 10", "destinations");
  }

  @Test
  void aLaneWaitingToRetryKeepsItsScheduleWhenThePollWakesIt() throws Exception {
    Destination a = destination("acme", "a").build();
    store.save(a);
    SharedQueue queue = sharedQueue(100);
    Dispatcher engine = engine(queue);
    engine.start();
    sinks.behave(a.id(), batch -> {
      throw DeliveryException.retryable("HTTP 503");
    });
    scheduler.hold();

    engine.stream(groupEvent("acme"));
    assertThat(eventually(() -> scheduler.heldCount() == 1)).isTrue();
    int looks = Collections.frequency(queue.calls, "destinations");
    assertThat(eventually(() -> Collections.frequency(queue.calls, "destinations") >= looks + 5)).isTrue();

    assertThat(sinks.attempts(a.id())).hasSize(1);
    sinks.behave(a.id(), batch -> {});
    scheduler.runHeld();
    assertThat(sinks.awaitDelivered(a.id(), 1)).isTrue();
    assertThat(sinks.attempts(a.id())).hasSize(2);
  }

  @Test
  void appliesTheDestinationChangesOfOtherProcessesAndSurvivesAFailingStore() throws Exception {
    Destination a = destination("acme", "a").build();
    store.save(a);
    Dispatcher engine = engine(new InMemoryDeliveryQueue(1000));
    engine.start();
    store.failNextFindAll.set(3);

    // Another process creates b, and filters a to an event type nobody streams.
    Destination b = destination("acme", "b").build();
    store.save(b);
    store.save(a.toBuilder().eventTypeFilter(Set.of("project_deleted")).build());

    assertThat(eventually(() -> {
      engine.stream(groupEvent("acme"));
      return !sinks.delivered(b.id()).isEmpty();
    })).isTrue();
    assertThat(store.failNextFindAll.get()).isZero();
    // Events routed to a before the change was taken in may still be on their way: let them land first.
    assertThat(engine.flush(Duration.ofSeconds(10))).isTrue();
    int toA = sinks.delivered(a.id()).size();
    AuditEvent after = groupEvent("acme");
    engine.stream(after);
    assertThat(engine.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(ids(sinks.delivered(b.id()))).contains(after.id());
    assertThat(sinks.delivered(a.id())).hasSize(toA);

    // Another process deletes b: routed to no more.
    store.delete(b.id());
    assertThat(eventually(() -> engine.status(b.id()).equals(
        io.auditstream.api.destination.DestinationStatus.empty(b.id())))).isTrue();
    engine.stream(groupEvent("acme"));
    assertThat(engine.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(ids(sinks.delivered(b.id()))).last().isEqualTo(after.id());
  }

  @Test
  void startKeepsTheDeliveriesOfADestinationCreatedJustAfterTheStoreWasReadAndRemovesThoseOfOneThatIsGone()
      throws Exception {
    Destination late = destination("acme", "late").build();
    Destination gone = destination("acme", "gone").build();
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(1000);
    queue.offer(List.of(new QueuedDelivery(late.id(), encoded(groupEvent("acme")), clock.instant()),
        new QueuedDelivery(gone.id(), encoded(groupEvent("acme")), clock.instant())));
    // Another process creates it right after this engine read the destinations.
    store.afterNextFindAll = () -> store.save(late);

    engine(queue).start();

    assertThat(queue.size(gone.id())).isZero();
    assertThat(sinks.awaitDelivered(late.id(), 1)).isTrue();
  }
}
