package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import java.time.Duration;

/**
 * Batch delivery of an HTTP destination, off unless set ({@link HttpDestinationConfig.Builder#batching}):
 * one POST then carries up to {@code maxEvents} events, as NDJSON (each event's JSON object followed by
 * {@code \n}, oldest first), with {@code Content-Type: }{@value #CONTENT_TYPE}, the header {@value
 * #BATCH_ID_HEADER} (an id of the batch that stays the same on every retry of it, for receivers to
 * deduplicate on, beside each event's {@code id}) and {@value #BATCH_SIZE_HEADER} (how many events the
 * body holds). The verification token and the active custom headers go along as with single events; the
 * event-type header is left out, since a batch may hold events of several types; the destination's
 * {@code contentType} applies only to single events.
 *
 * <p>Bounds: a batch holds at most {@code maxEvents} events and, unless one event alone is larger, at most
 * {@code maxBytes} bytes of events; the engine may hold the first event of a batch back for up to {@code
 * linger}, while fewer than {@code maxEvents} are pending, for others to join it.
 *
 * <p>Rules (checked on construction, each violation naming its field, for example {@code
 * batching.maxEvents}): {@code maxEvents} {@value #MIN_EVENTS} to {@value #MAX_EVENTS}; {@code maxBytes}
 * {@value #MIN_BYTES} (1 KiB) to {@value #MAX_BYTES} (10 MiB); {@code linger} 0 to 10 seconds.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxEvents the most events one POST carries
 * @param maxBytes the most bytes of events one POST carries (the sum of their JSON lengths), unless one
 *     event alone is larger
 * @param linger how long the first event of a batch may wait for others to join it
 */
public record HttpBatching(int maxEvents, long maxBytes, Duration linger) {
  /** The {@code Content-Type} of a batch. */
  public static final String CONTENT_TYPE = "application/x-ndjson";
  /** The header that carries the batch's id, the same on every retry of the batch. */
  public static final String BATCH_ID_HEADER = "X-Audit-Stream-Batch-Id";
  /** The header that carries how many events the batch holds. */
  public static final String BATCH_SIZE_HEADER = "X-Audit-Stream-Batch-Size";

  /** The fewest events {@code maxEvents} may allow. */
  public static final int MIN_EVENTS = 2;
  /** The most events {@code maxEvents} may allow. */
  public static final int MAX_EVENTS = 1000;
  /** The smallest {@code maxBytes}: 1 KiB. */
  public static final long MIN_BYTES = 1024;
  /** The largest {@code maxBytes}: 10 MiB. */
  public static final long MAX_BYTES = 10L * 1024 * 1024;
  /** The longest {@code linger}. */
  public static final Duration MAX_LINGER = Duration.ofSeconds(10);

  /** {@code maxEvents} of {@link #defaults()}. */
  public static final int DEFAULT_MAX_EVENTS = 100;
  /** {@code maxBytes} of {@link #defaults()}: 1 MiB. */
  public static final long DEFAULT_MAX_BYTES = 1024L * 1024;
  /** {@code linger} of {@link #defaults()}. */
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(200);

  /**
   * Creates the setting after checking the rules above.
   *
   * @throws ValidationException naming {@code batching.maxEvents}, {@code batching.maxBytes} and/or {@code
   *     batching.linger} for each rule broken
   */
  public HttpBatching {
    ValidationException.Collector v = ValidationException.collector();
    v.check(maxEvents >= MIN_EVENTS && maxEvents <= MAX_EVENTS, "batching.maxEvents",
        "batching.maxEvents must be " + MIN_EVENTS + " to " + MAX_EVENTS + " (was " + maxEvents + ")");
    v.check(maxBytes >= MIN_BYTES && maxBytes <= MAX_BYTES, "batching.maxBytes",
        "batching.maxBytes must be " + MIN_BYTES + " (1 KiB) to " + MAX_BYTES + " (10 MiB) (was " + maxBytes + ")");
    if (linger == null) {
      v.add("batching.linger", "batching.linger is required (Duration.ZERO for none)");
    } else {
      v.check(!linger.isNegative() && linger.compareTo(MAX_LINGER) <= 0, "batching.linger",
          "batching.linger must be 0 to 10 seconds (was " + linger + ")");
    }
    v.throwIfAny();
  }

  /** {@value #DEFAULT_MAX_EVENTS} events, 1 MiB, 200 ms. */
  public static HttpBatching defaults() {
    return new HttpBatching(DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES, DEFAULT_LINGER);
  }

  /**
   * This setting with another {@code maxEvents}.
   *
   * @throws ValidationException when it breaks the rule
   */
  public HttpBatching withMaxEvents(int maxEvents) {
    return new HttpBatching(maxEvents, maxBytes, linger);
  }

  /**
   * This setting with another {@code maxBytes}.
   *
   * @throws ValidationException when it breaks the rule
   */
  public HttpBatching withMaxBytes(long maxBytes) {
    return new HttpBatching(maxEvents, maxBytes, linger);
  }

  /**
   * This setting with another {@code linger}.
   *
   * @throws ValidationException when it breaks the rule
   */
  public HttpBatching withLinger(Duration linger) {
    return new HttpBatching(maxEvents, maxBytes, linger);
  }
}
