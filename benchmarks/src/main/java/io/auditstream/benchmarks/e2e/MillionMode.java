package io.auditstream.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditstream.api.destination.Destination;
import io.auditstream.benchmarks.TypicalEvent;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DeliveryStats;
import io.auditstream.core.queue.InMemoryDeliveryQueue;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A million events offered faster than the receiver takes them: the driver calls {@code stream()}
 * {@value #OFFERED} times back to back, each event once (no outstanding window, no retry of a refusal),
 * to one HTTP destination with every bound at its default (ingress queue {@value
 * AuditStreamer#DEFAULT_QUEUE_CAPACITY}, in-memory queue {@value
 * InMemoryDeliveryQueue#DEFAULT_MAX_EVENTS_PER_DESTINATION} deliveries per destination), then waits at most
 * {@link #DRAIN_WAIT} for the deliveries and closes the streamer. What it shows is that memory stays
 * within the bounds (peak heap and RSS, which {@link SenderMain} adds) and that every accepted event is
 * accounted for: accepted, refused ({@code stream()} returned false), dropped at the destination's bound,
 * delivered, and {@code lost}, accepted but neither received nor dropped nor a dead letter (0 expected).
 */
final class MillionMode {
  /** Events offered. */
  static final int OFFERED = 1_000_000;
  /** The longest the deliveries are waited for after the last offer. */
  static final Duration DRAIN_WAIT = Duration.ofSeconds(90);

  private MillionMode() {}

  /** Puts the offers' accounting in {@code out}. */
  static void run(SenderOptions options, Map<String, Object> out) {
    out.put("transport", options.transport());
    out.put("offered", OFFERED);
    LibrarySender.onOneDestination(options, "million", (streamer, d, receiver) -> measure(streamer, d, receiver, out));
  }

  private static void measure(AuditStreamer streamer, Destination d, ReceiverControl receiver,
      Map<String, Object> out) {
    receiver.reset();
    long start = System.nanoTime();
    long accepted = 0;
    long refused = 0;
    for (int i = 0; i < OFFERED; i++) {
      if (streamer.stream(TypicalEvent.create(LibrarySender.GROUP, TypicalEvent.nowMicros()))) {
        accepted++;
      } else {
        refused++;
      }
    }
    long offerNanos = System.nanoTime() - start;
    out.put("offer_s", seconds(offerNanos));
    out.put("offered_per_s", Math.round(OFFERED / (offerNanos / 1e9)));
    out.put("accepted", accepted);
    out.put("refused", refused);
    out.put("pending_after_offers", streamer.destinations().status(LibrarySender.OWNER, d.id()).pending());

    long drainStart = System.nanoTime();
    long deadline = drainStart + DRAIN_WAIT.toNanos();
    boolean drained = false;
    while (!drained && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(10_000_000);
      drained = completed(streamer.stats()) >= accepted;
    }
    out.put("drain_s", seconds(System.nanoTime() - drainStart));
    out.put("drained", drained);
    DeliveryStats before = streamer.stats();
    out.put("delivered", before.delivered());
    out.put("dropped", before.dropped());
    out.put("dead_lettered", before.deadLettered());
    out.put("refused_full_stats", before.refusedFull());
    out.put("pending_at_end", streamer.destinations().status(LibrarySender.OWNER, d.id()).pending());

    // Closing ends every delivery (what is left undelivered is reported dropped, as "closed"), so the
    // receiver's count is final and the accounting below exact, drained or not.
    streamer.close();
    DeliveryStats after = streamer.stats();
    JsonNode received = receiver.stats();
    long receivedIds = received.get("distinct_ids").asLong();
    out.put("dropped_at_close", after.dropped() - before.dropped());
    out.put("received_distinct_ids", receivedIds);
    out.put("received_events", received.get("events").asLong());
    out.put("lost", accepted - receivedIds - after.dropped() - after.deadLettered());
  }

  private static long completed(DeliveryStats s) {
    return s.delivered() + s.dropped() + s.deadLettered();
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }
}
