package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static io.auditstream.core.internal.DispatcherFixture.event;
import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.WebhookSigning;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.internal.TestSinkProvider.TestSink;
import io.auditstream.core.fixtures.ForwardingDeliveryQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherLifecycleTest {
  private final DispatcherFixture f = new DispatcherFixture();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Destination d = destination("acme", "siem").build();

  @AfterEach
  void close() {
    release.countDown();
    f.close();
  }

  private TestSinkProvider.Behaviour blocked() {
    return batch -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw io.auditstream.api.sink.DeliveryException.retryable("interrupted", e);
      }
    };
  }

  @Test
  void flushDeliversEverythingQueuedInOrder() {
    f.start(d);
    for (int i = 0; i < 50; i++) {
      assertThat(f.dispatcher.stream(groupEvent("acme/g" + i))).isTrue();
    }

    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.delivered(d.id())).extracting(e -> e.event().entityPath())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "acme/g" + i).toList());
    assertThat(f.dispatcher.status(d.id()).delivered()).isEqualTo(50);
    assertThat(f.queue.size()).isZero();
  }

  @Test
  void flushReportsFalseWhenADestinationCannotFinishInTime() throws InterruptedException {
    f.sinks.behave(d.id(), blocked());
    f.start(d);
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.sinks.awaitAttempts(d.id(), 1)).isTrue();

    assertThat(f.dispatcher.flush(Duration.ofMillis(20))).isFalse();
  }

  @Test
  void closeDeliversWhatIsQueuedThenClosesSinksAndRefusesNewEvents() {
    f.start(d);
    for (int i = 0; i < 20; i++) {
      f.dispatcher.stream(groupEvent("acme"));
    }

    f.dispatcher.close(Duration.ofSeconds(10));

    assertThat(f.sinks.delivered(d.id())).hasSize(20);
    assertThat(f.sinks.sinksFor(d.id())).isNotEmpty().allSatisfy(s -> assertThat(s.isClosed()).isTrue());
    assertThat(f.dispatcher.stream(groupEvent("acme"))).isFalse();
    f.dispatcher.close(Duration.ofSeconds(1));
  }

  @Test
  void closeGivesUpAfterItsTimeoutClosesSinksAndReportsWhatTheInMemoryQueueHeld() throws InterruptedException {
    f.sinks.behave(d.id(), blocked());
    f.start(d);
    AuditEvent first = groupEvent("acme");
    AuditEvent second = groupEvent("acme");
    f.dispatcher.stream(first);
    f.dispatcher.stream(second);
    assertThat(f.sinks.awaitAttempts(d.id(), 1)).isTrue();

    f.dispatcher.close(Duration.ofMillis(20));

    assertThat(f.sinks.sinksFor(d.id())).singleElement().satisfies(s -> assertThat(s.isClosed()).isTrue());
    // Nothing survives an in-memory queue: both events are reported, not kept.
    assertThat(f.queue.size()).isZero();
    assertThat(f.listener.drops).containsExactlyInAnyOrder(new RecordingListener.Drop(d.id(), first.id(), "closed"),
        new RecordingListener.Drop(d.id(), second.id(), "closed"));
    assertThat(f.dispatcher.status(d.id()).dropped()).isEqualTo(2);
    assertThat(f.dispatcher.stats().dropped()).isEqualTo(2);
  }

  @Test
  void closeKeepsWhatADurableQueueHoldsAndReportsNoneOfItAsDropped() throws InterruptedException {
    DispatcherFixture durable = new DispatcherFixture(DispatcherFixture.FAST_RETRIES,
        new ForwardingDeliveryQueue(new io.auditstream.core.queue.InMemoryDeliveryQueue(100)), 100);
    durable.sinks.behave(d.id(), blocked());
    durable.start(d);
    durable.dispatcher.stream(groupEvent("acme"));
    durable.dispatcher.stream(groupEvent("acme"));
    assertThat(durable.sinks.awaitAttempts(d.id(), 1)).isTrue();

    durable.dispatcher.close(Duration.ofMillis(20));

    assertThat(durable.queue.size()).isEqualTo(2);
    assertThat(durable.listener.drops).isEmpty();
    assertThat(durable.dispatcher.stats().dropped()).isZero();
  }

  @Test
  void changedDestinationClosesTheOldSinkAndUsesANewOne() {
    f.start(d);
    f.dispatcher.stream(groupEvent("acme/before"));
    assertThat(f.flush()).isTrue();

    Destination moved = d.toBuilder()
        .config(TestConfig.of(TestSinkProvider.KIND, "https://example.test/moved")).build();
    f.store.save(moved);
    f.dispatcher.destinationSaved(moved);
    f.dispatcher.stream(groupEvent("acme/after"));
    assertThat(f.flush()).isTrue();

    List<TestSink> sinks = f.sinks.sinksFor(d.id());
    assertThat(sinks).hasSize(2);
    assertThat(sinks.get(0).isClosed()).isTrue();
    assertThat(sinks.get(0).delivered).extracting(e -> e.event().entityPath()).containsExactly("acme/before");
    assertThat(sinks.get(1).destination).isEqualTo(moved);
    assertThat(sinks.get(1).isClosed()).isFalse();
    assertThat(sinks.get(1).delivered).extracting(e -> e.event().entityPath()).containsExactly("acme/after");
  }

  @Test
  void changeWhileTheSinkIsBeingCreatedIsNotLost() throws InterruptedException {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
    f.sinks.holdNextCreation(entered, proceed);
    f.start();
    f.store.save(d);
    f.dispatcher.destinationSaved(d);
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    Destination renamed = d.toBuilder().name("renamed").build();
    f.store.save(renamed);
    f.dispatcher.destinationSaved(renamed);
    // Streamed after the change and queued before the sink (made from the old settings) is ready.
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(DispatcherFixture.eventually(() -> f.queue.size(d.id()) == 1)).isTrue();
    proceed.countDown();
    assertThat(f.flush()).isTrue();

    List<TestSink> sinks = f.sinks.sinksFor(d.id());
    assertThat(sinks).last().satisfies(s -> {
      assertThat(s.destination.name()).isEqualTo("renamed");
      assertThat(s.delivered).hasSize(1);
    });
    assertThat(sinks).allSatisfy(s -> assertThat(s.isClosed()).isEqualTo(s != sinks.get(sinks.size() - 1)));
  }

  @Test
  void anAttemptCarriesTheSettingsSavedBeforeItBeganEvenWhenTheyNeedNoNewSink() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    f.sinks.holdNextCreation(entered, proceed);
    f.start();
    f.store.save(d);
    f.dispatcher.destinationSaved(d);
    f.dispatcher.stream(groupEvent("acme"));
    // The lane's pass began with the unsigned destination and waits for its sink.
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    Destination signed = d.toBuilder()
        .signing(WebhookSigning.with(Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))).build();
    f.store.save(signed);
    f.dispatcher.destinationSaved(signed);
    proceed.countDown();
    assertThat(f.flush()).isTrue();

    List<TestSink> sinks = f.sinks.sinksFor(d.id());
    assertThat(sinks).hasSize(1);
    assertThat(sinks.get(0).attemptHeaders).singleElement()
        .satisfies(h -> assertThat(h).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature"));
  }

  @Test
  void changeDuringAnAttemptClosesTheOldSinkAfterIt() throws InterruptedException {
    f.sinks.behave(d.id(), blocked());
    f.start(d);
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.sinks.awaitAttempts(d.id(), 1)).isTrue();

    Destination renamed = d.toBuilder().name("renamed").build();
    f.dispatcher.destinationSaved(renamed);
    TestSink old = f.sinks.sinksFor(d.id()).get(0);
    assertThat(old.isClosed()).isFalse();
    release.countDown();
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(old.isClosed()).isTrue();
    assertThat(old.delivered).hasSize(1);
    assertThat(f.sinks.sinksFor(d.id())).hasSize(2);
    assertThat(f.sinks.sinksFor(d.id()).get(1).delivered).hasSize(1);
  }

  @Test
  void filterOnlyChangeKeepsTheSink() {
    f.start(d);
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    f.dispatcher.destinationSaved(d.toBuilder().eventTypeFilter(List.of("user_created")).build());
    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.sinksFor(d.id())).singleElement().satisfies(s -> {
      assertThat(s.isClosed()).isFalse();
      assertThat(s.delivered).hasSize(2);
    });
  }

  @Test
  void deletedDestinationDropsPendingDeliveriesAndClosesItsSink() throws InterruptedException {
    f.sinks.behave(d.id(), blocked());
    f.start(d);
    for (int i = 0; i < 3; i++) {
      f.dispatcher.stream(groupEvent("acme"));
    }
    assertThat(f.sinks.awaitAttempts(d.id(), 1)).isTrue();
    assertThat(DispatcherFixture.eventually(() -> f.queue.size(d.id()) == 3)).isTrue();

    f.store.delete(d.id());
    f.dispatcher.destinationDeleted(d);

    assertThat(f.queue.size(d.id())).isZero();
    assertThat(f.dispatcher.status(d.id())).isEqualTo(DestinationStatus.empty(d.id()));
    assertThat(f.sinks.sinksFor(d.id())).singleElement().satisfies(s -> assertThat(s.isClosed()).isTrue());
    assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    release.countDown();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).hasSize(1);
  }

  @Test
  void inactiveDestinationKeepsItsQueueUntilActiveAgain() {
    f.start(d);
    Destination paused = d.toBuilder().active(false).build();
    f.dispatcher.destinationSaved(paused);

    assertThat(f.dispatcher.enqueueDirect(paused, groupEvent("acme"))).isTrue();
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.attempts(d.id())).isEmpty();
    assertThat(f.dispatcher.status(d.id()).pending()).isEqualTo(1);

    f.dispatcher.destinationSaved(d);
    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).hasSize(1);
    assertThat(f.dispatcher.status(d.id()).pending()).isZero();
  }

  @Test
  void enqueueDirectReachesOnlyThatDestinationWhateverItsFilters() {
    Destination filtered = destination("acme", "filtered").eventTypeFilter(List.of("something_else")).build();
    Destination sibling = destination("acme", "sibling").build();
    f.start(filtered, sibling);
    AuditEvent test = event("streaming_test_event", EntityType.GROUP, "acme");

    assertThat(f.dispatcher.enqueueDirect(filtered, test)).isTrue();
    assertThat(f.flush()).isTrue();

    assertThat(f.sinks.delivered(filtered.id())).extracting(EncodedEvent::event).containsExactly(test);
    assertThat(f.sinks.delivered(sibling.id())).isEmpty();
  }

  @Test
  void startResumesDeliveriesLeftInTheQueueAndRemovesThoseOfUnknownDestinations() {
    AuditEvent earlier = groupEvent("acme");
    AuditEvent another = groupEvent("acme");
    EncodedEvent encoded = new EncodedEvent(earlier, AuditEventJson.encode(earlier));
    Instant then = DispatcherFixture.START.minusSeconds(60);
    DestinationId gone = DestinationId.of("gone");
    f.queue.offer(List.of(new QueuedDelivery(d.id(), encoded, then),
        new QueuedDelivery(d.id(), new EncodedEvent(another, AuditEventJson.encode(another)), then),
        new QueuedDelivery(gone, encoded, then)));
    // Leased by a run that never finished.
    f.queue.lease(d.id(), 1, then);

    f.start(d);

    assertThat(f.flush()).isTrue();
    assertThat(f.sinks.delivered(d.id())).hasSize(2);
    assertThat(f.queue.size(gone)).isZero();
    assertThat(f.queue.size()).isZero();
  }

  @Test
  void blockingSinksDeliverOnNamedDaemonThreadsBehindANamedRouterThread() {
    List<Thread> deliveringThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    f.sinks.behave(d.id(), batch -> deliveringThreads.add(Thread.currentThread()));
    f.start(d);

    f.dispatcher.stream(groupEvent("acme"));
    assertThat(f.flush()).isTrue();

    assertThat(deliveringThreads).singleElement().satisfies(t -> {
      assertThat(t.getName()).startsWith("audit-stream-blocking-");
      assertThat(t.isDaemon()).isTrue();
    });
    assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> {
      assertThat(t.getName()).isEqualTo("audit-stream-router");
      assertThat(t.isDaemon()).isTrue();
    });
  }

  @Test
  void statusOfAnUnknownDestinationIsEmpty() {
    f.start(d);
    DestinationId unknown = DestinationId.of("unknown");

    assertThat(f.dispatcher.status(unknown)).isEqualTo(DestinationStatus.empty(unknown));
  }

  @Test
  void eventsBeforeStartAreNotDeliveredAndAfterCloseAreRefused() {
    f.store.save(d);
    f.dispatcher.stream(groupEvent("acme"));

    f.dispatcher.start();
    assertThat(f.dispatcher.stream(groupEvent("acme"))).isTrue();
    f.dispatcher.close(Duration.ofSeconds(10));

    assertThat(f.dispatcher.stream(groupEvent("acme"))).isFalse();
    assertThat(f.dispatcher.enqueueDirect(d, groupEvent("acme"))).isFalse();
    assertThat(f.sinks.delivered(d.id())).hasSize(1);
    assertThat(f.dispatcher.stats().refusedClosed()).isOne();
    assertThat(f.dispatcher.stats().accepted()).isEqualTo(2);
  }
}
