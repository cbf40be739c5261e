package io.auditstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.benchmarks.TypicalEvent;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DeliveryStats;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Backlog drain: a destination that comes back after an outage with a full backlog. One HTTP destination
 * on the receiver, paused as soon as it is created, gets {@value #EVENTS} events (the in-memory queue's
 * default bound per destination, so it holds them all and drops none); once its status says they are all
 * pending it is resumed, and the figure ({@code backlog_events_per_s}) is the events the receiver got per
 * second from the resume until it has every one of them (distinct ids), or until {@link #DRAIN_WAIT}
 * ran out (then {@code drained} is false and the figure counts what arrived).
 */
final class BacklogMode {
  /** Events held back: the default bound of one destination's deliveries in the in-memory queue. */
  static final int EVENTS = InMemoryDeliveryQueue.DEFAULT_MAX_EVENTS_PER_DESTINATION;
  /** The longest the backlog may take to fill (streamed and routed). */
  static final Duration FILL_WAIT = Duration.ofSeconds(60);
  /** The longest the drain is waited for. */
  static final Duration DRAIN_WAIT = Duration.ofSeconds(120);
  /** How often the drain's progress is read: the figure's resolution (about 0.1% of a 20 s drain). */
  private static final long POLL_NANOS = 20_000_000;

  private BacklogMode() {}

  /** Puts {@code backlog_events_per_s} and the drain's accounting in {@code out}. */
  static void run(SenderOptions options, Map<String, Object> out) throws Exception {
    out.put("transport", options.transport());
    out.put("backlog_events", EVENTS);
    LibrarySender.onOneDestination(options, "backlog", (streamer, d, receiver) -> measure(streamer, d, receiver, out));
  }

  private static void measure(AuditStreamer streamer, Destination d, ReceiverControl receiver,
      Map<String, Object> out) {
    // Paused before any event exists, so none can be delivered before the resume.
    streamer.destinations().pause(LibrarySender.OWNER, d.id(), "outage");
    if (!status(streamer, d).paused()) {
      throw new IllegalStateException("the destination is not paused after pause()");
    }
    receiver.reset();

    long fillStart = System.nanoTime();
    long fillDeadline = fillStart + FILL_WAIT.toNanos();
    long refusals = 0;
    for (int i = 0; i < EVENTS; i++) {
      // The ingress queue is smaller than the backlog: wait for the router to make room.
      while (!streamer.stream(TypicalEvent.create(LibrarySender.GROUP, TypicalEvent.nowMicros()))) {
        refusals++;
        if (System.nanoTime() - fillDeadline > 0) {
          throw new IllegalStateException("streamed only " + i + " of " + EVENTS + " events within " + FILL_WAIT);
        }
        LockSupport.parkNanos(50_000);
      }
    }
    DestinationStatus held = status(streamer, d);
    while (held.pending() + held.dropped() < EVENTS && System.nanoTime() - fillDeadline < 0) {
      LockSupport.parkNanos(POLL_NANOS);
      held = status(streamer, d);
    }
    out.put("fill_s", seconds(System.nanoTime() - fillStart));
    out.put("refused_full", refusals);
    out.put("pending_at_resume", held.pending());
    out.put("dropped_while_paused", held.dropped());
    long receivedWhilePaused = receiver.stats().get("distinct_ids").asLong();
    out.put("received_while_paused", receivedWhilePaused);
    if (held.pending() != EVENTS || receivedWhilePaused != 0) {
      throw new IllegalStateException("the paused destination holds " + held.pending() + " pending and "
          + held.dropped() + " dropped, and the receiver has " + receivedWhilePaused + " (expected " + EVENTS
          + " pending, none dropped or received) after " + FILL_WAIT);
    }

    long start = System.nanoTime();
    streamer.destinations().resume(LibrarySender.OWNER, d.id());
    long deadline = start + DRAIN_WAIT.toNanos();
    long libraryDoneNanos = -1;
    long received = 0;
    while (true) {
      if (libraryDoneNanos < 0 && completed(streamer.stats()) >= EVENTS) {
        libraryDoneNanos = System.nanoTime() - start;
      }
      received = receiver.stats().get("distinct_ids").asLong();
      if (received >= EVENTS || System.nanoTime() - deadline > 0) {
        break;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    long elapsed = System.nanoTime() - start;
    boolean drained = received >= EVENTS;
    out.put("drain_s", seconds(elapsed));
    out.put("drained", drained);
    out.put("backlog_events_per_s", Math.round(received / (elapsed / 1e9)));
    out.put("library_done_s", libraryDoneNanos < 0 ? "not within " + DRAIN_WAIT.toSeconds() + " s"
        : seconds(libraryDoneNanos));

    DeliveryStats stats = streamer.stats();
    JsonNode after = receiver.stats();
    out.put("accepted", stats.accepted());
    out.put("delivered", stats.delivered());
    out.put("dropped", stats.dropped());
    out.put("dead_lettered", stats.deadLettered());
    out.put("received_distinct_ids", after.get("distinct_ids").asLong());
    out.put("received_events", after.get("events").asLong());
    // Only meaningful once drained: until then, what is missing may still be on its way.
    long missing = EVENTS - after.get("distinct_ids").asLong() - stats.dropped() - stats.deadLettered();
    out.put(drained ? "lost" : "undelivered_at_end", missing);
  }

  private static DestinationStatus status(AuditStreamer streamer, Destination d) {
    return streamer.destinations().status(LibrarySender.OWNER, d.id());
  }

  private static long completed(DeliveryStats s) {
    return s.delivered() + s.dropped() + s.deadLettered();
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }
}
