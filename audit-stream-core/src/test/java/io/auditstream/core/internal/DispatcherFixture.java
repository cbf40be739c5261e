package io.auditstream.core.internal;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.core.RetryPolicy;
import io.auditstream.core.fixtures.Eventually;
import io.auditstream.core.fixtures.TestConfig;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A dispatcher wired to test sinks, a recording retry scheduler, a clock that stands still until a test
 * moves it, a recording listener and observer, and in-memory stores. The periodic sweep is off: tests sweep
 * by hand. Automatic pauses are off unless a test gives {@code autoPauseAfter}; they are saved as the streamer
 * saves them: to the store, then told to the dispatcher.
 */
final class DispatcherFixture implements AutoCloseable {
  /** 1 ms doubling to 50 ms, no jitter, one hour of age. */
  static final RetryPolicy FAST_RETRIES = RetryPolicy.builder()
      .schedule(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4), Duration.ofMillis(8),
          Duration.ofMillis(16), Duration.ofMillis(32), Duration.ofMillis(50))
      .maxAge(Duration.ofHours(1)).jitter(false).build();
  static final Instant START = Instant.parse("2026-11-25T12:00:00Z");

  final InMemoryDestinationStore store = new InMemoryDestinationStore();
  final TestSinkProvider sinks = new TestSinkProvider();
  final RecordingScheduler scheduler = new RecordingScheduler();
  final RecordingListener listener = new RecordingListener();
  final RecordingObserver observer = new RecordingObserver();
  final MutableClock clock = new MutableClock(START);
  final DeliveryQueue queue;
  final Dispatcher dispatcher;
  /** The reasons of the automatic pauses saved, in order. */
  final List<String> pauses = new CopyOnWriteArrayList<>();
  /** How many of the next automatic pauses fail as a store that is down would. */
  final AtomicInteger failNextPauses = new AtomicInteger();

  DispatcherFixture() {
    this(FAST_RETRIES, new InMemoryDeliveryQueue(1000), 1000);
  }

  DispatcherFixture(RetryPolicy retryPolicy) {
    this(retryPolicy, new InMemoryDeliveryQueue(1000), 1000);
  }

  DispatcherFixture(RetryPolicy retryPolicy, DeliveryQueue queue, int ingressCapacity) {
    this(retryPolicy, queue, ingressCapacity, Duration.ZERO);
  }

  /** With automatic pauses after {@code autoPauseAfter} of failures (zero: off). */
  DispatcherFixture(RetryPolicy retryPolicy, Duration autoPauseAfter) {
    this(retryPolicy, new InMemoryDeliveryQueue(1000), 1000, autoPauseAfter);
  }

  DispatcherFixture(RetryPolicy retryPolicy, DeliveryQueue queue, int ingressCapacity, Duration autoPauseAfter) {
    this(retryPolicy, queue, ingressCapacity, autoPauseAfter, DeliverySettings.defaults());
  }

  /** With in-memory queues of 1000, no automatic pauses, delivering as {@code settings} say. */
  DispatcherFixture(DeliverySettings settings) {
    this(FAST_RETRIES, new InMemoryDeliveryQueue(1000), 1000, Duration.ZERO, settings);
  }

  DispatcherFixture(RetryPolicy retryPolicy, DeliveryQueue queue, int ingressCapacity, Duration autoPauseAfter,
      DeliverySettings settings) {
    this(retryPolicy, queue, ingressCapacity, autoPauseAfter, settings, null);
  }

  /** As the defaults, with the dispatcher on the system clock rather than {@link #clock}. */
  static DispatcherFixture onTheSystemClock() {
    return new DispatcherFixture(FAST_RETRIES, new InMemoryDeliveryQueue(1000), 1000, Duration.ZERO,
        DeliverySettings.defaults(), Clock.systemUTC());
  }

  private DispatcherFixture(RetryPolicy retryPolicy, DeliveryQueue queue, int ingressCapacity, Duration autoPauseAfter,
      DeliverySettings settings, Clock dispatcherClock) {
    this.queue = queue;
    // As the streamer's factory does: a kind without its provider names the artifact that brings it.
    SinkFactory factory = d -> {
      if (!d.kind().equals(sinks.kind())) {
        throw new io.auditstream.api.MissingSinkException(d.kind(), "no sink for kind '" + d.kind() + "': add "
            + d.config().destinationKind().artifact() + " to the classpath");
      }
      return sinks.create(d, SinkContext.defaults());
    };
    this.dispatcher = new Dispatcher(store, factory, queue, retryPolicy, ingressCapacity,
        dispatcherClock != null ? dispatcherClock : clock, listener, observer,
        autoPauseAfter, this::pauseAutomatically, scheduler, Duration.ZERO, Dispatcher.DEFAULT_STORE_POLL_INTERVAL,
        settings);
  }

  /** As the streamer's destination management does: saved paused, then told to the dispatcher. */
  private boolean pauseAutomatically(DestinationId id, String reason) {
    if (failNextPauses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("destination store is down");
    }
    Destination current = store.find(id).orElse(null);
    if (current == null || current.paused()) {
      return false;
    }
    Destination paused = current.toBuilder().paused(reason).build();
    store.save(paused);
    pauses.add(reason);
    dispatcher.destinationSaved(paused);
    return true;
  }

  /** Streams {@code n} new events of {@code group}, checking each was accepted; their ids, in order. */
  List<String> streamAccepted(String group, int n) {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      AuditEvent e = groupEvent(group);
      ids.add(e.id());
      org.assertj.core.api.Assertions.assertThat(dispatcher.stream(e)).as("event %d accepted", i).isTrue();
    }
    return ids;
  }

  /** Saves {@code d} and tells the dispatcher, as destination management does for an Owner's change. */
  void save(Destination d) {
    store.save(d);
    dispatcher.destinationSaved(d);
  }

  /** Saves destinations and starts the dispatcher. */
  DispatcherFixture start(Destination... destinations) {
    for (Destination d : destinations) {
      store.save(d);
    }
    dispatcher.start();
    return this;
  }

  /** An active destination of kind {@code test} named {@code name} in {@code group}. */
  static Destination.Builder destination(String group, String name) {
    return Destination.builder()
        .id(DestinationId.of(group + "-" + name))
        .groupPath(group)
        .name(name)
        .verificationToken(Secret.of("0123456789abcdef"))
        .config(TestConfig.of(TestSinkProvider.KIND, "https://example.test/" + name))
        .createdAt(Instant.parse("2026-11-25T10:00:00Z"));
  }

  /** A {@code user_created} event about the group or subgroup {@code path}. */
  static AuditEvent groupEvent(String path) {
    return event("user_created", EntityType.GROUP, path);
  }

  static AuditEvent event(String type, EntityType entityType, String path) {
    return AuditEvent.builder().eventType(type).entity(entityType, 7L, path).author(1L, "Alice").build();
  }

  /** Waits for {@code condition}, at most 10 seconds, parking briefly between looks. */
  static boolean eventually(BooleanSupplier condition) {
    return Eventually.within(Duration.ofSeconds(10), condition);
  }

  boolean flush() {
    return dispatcher.flush(Duration.ofSeconds(10));
  }

  /** Cleans up; a test that wants what is queued delivered first flushes or closes with a timeout itself. */
  @Override
  public void close() {
    dispatcher.close(Duration.ofMillis(100));
  }
}
