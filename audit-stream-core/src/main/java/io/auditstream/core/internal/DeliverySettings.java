package io.auditstream.core.internal;

import io.auditstream.api.sink.SinkContext;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link DeliveryEngine} spreads its delivery work. Internal; may change without notice: hosts set
 * these through {@code AuditStreamer.Builder}. Immutable.
 *
 * @param maxInFlightPerDestination the engine's window: how many deliveries of one destination may be in
 *     flight at once, at most (its sink's {@link io.auditstream.api.sink.Sink#maxInFlight()} may allow
 *     fewer); 1 to {@value #MAX_IN_FLIGHT_LIMIT}
 * @param deliveryThreads how many {@code audit-stream-delivery-N} threads run the lanes' own work
 *     (lease, remove, decide; never a network call); 1 to {@value #MAX_DELIVERY_THREADS}
 * @param answerTimeout how long one event may take to be answered, at most: the sinks' connect timeout
 *     plus their request timeout. A delivery of {@code n} events that is not answered within {@link
 *     #answerBound(int)} counts as a retryable failure.
 * @param maxEventBytes the largest event, in bytes of its JSON payload, that the engine accepts; {@value
 *     #MIN_EVENT_BYTES} to {@value #MAX_EVENT_BYTES}
 */
public record DeliverySettings(int maxInFlightPerDestination, int deliveryThreads, Duration answerTimeout,
    int maxEventBytes) {
  /** The default largest event: 1 MiB of JSON. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
  /** The smallest event size limit: an event with every field set takes a few hundred bytes. */
  public static final int MIN_EVENT_BYTES = 1024;
  /** The largest event size limit: the in-memory queue holds at most 256 MiB per destination. */
  public static final int MAX_EVENT_BYTES = 1 << 28;
  /** The largest window per destination. */
  public static final int MAX_IN_FLIGHT_LIMIT = 16;
  /** The most delivery threads. */
  public static final int MAX_DELIVERY_THREADS = 256;
  /** The most a delivery is given beyond its sinks' own timeouts, so that a sink's timeout fires first. */
  static final Duration MAX_GRACE = Duration.ofSeconds(1);

  /**
   * @throws IllegalArgumentException when a number is out of its range or {@code answerTimeout} is not
   *     positive
   * @throws NullPointerException when {@code answerTimeout} is null
   */
  public DeliverySettings {
    if (maxInFlightPerDestination < 1 || maxInFlightPerDestination > MAX_IN_FLIGHT_LIMIT) {
      throw new IllegalArgumentException("maxInFlightPerDestination must be 1 to " + MAX_IN_FLIGHT_LIMIT + " (was "
          + maxInFlightPerDestination + ")");
    }
    if (deliveryThreads < 1 || deliveryThreads > MAX_DELIVERY_THREADS) {
      throw new IllegalArgumentException("deliveryThreads must be 1 to " + MAX_DELIVERY_THREADS + " (was "
          + deliveryThreads + ")");
    }
    Objects.requireNonNull(answerTimeout, "answerTimeout");
    if (answerTimeout.isZero() || answerTimeout.isNegative()) {
      throw new IllegalArgumentException("answerTimeout must be positive (was " + answerTimeout + ")");
    }
    if (maxEventBytes < MIN_EVENT_BYTES || maxEventBytes > MAX_EVENT_BYTES) {
      throw new IllegalArgumentException("maxEventBytes must be " + MIN_EVENT_BYTES + " to " + MAX_EVENT_BYTES
          + " (was " + maxEventBytes + ")");
    }
  }

  /** As the canonical constructor, with the default event size limit of {@value #DEFAULT_MAX_EVENT_BYTES} bytes. */
  public DeliverySettings(int maxInFlightPerDestination, int deliveryThreads, Duration answerTimeout) {
    this(maxInFlightPerDestination, deliveryThreads, answerTimeout, DEFAULT_MAX_EVENT_BYTES);
  }

  /** The default number of delivery threads: the available processors, at least 2. */
  public static int defaultDeliveryThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** A window of {@value #MAX_IN_FLIGHT_LIMIT}, the default threads, and the sinks' default timeouts. */
  public static DeliverySettings defaults() {
    return new DeliverySettings(MAX_IN_FLIGHT_LIMIT, defaultDeliveryThreads(),
        SinkContext.DEFAULT_CONNECT_TIMEOUT.plus(SinkContext.DEFAULT_REQUEST_TIMEOUT));
  }

  /**
   * How long a delivery of {@code events} events may go unanswered before it counts as failed: {@link
   * #answerTimeout()} per event (a sink may send a batch event by event), plus a grace of one answer
   * timeout, at most {@link #MAX_GRACE}.
   */
  Duration answerBound(int events) {
    Duration grace = answerTimeout.compareTo(MAX_GRACE) < 0 ? answerTimeout : MAX_GRACE;
    return answerTimeout.multipliedBy(Math.max(1, events)).plus(grace);
  }
}
