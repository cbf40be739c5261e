package io.auditstream.jdbc;

import java.time.Instant;

/**
 * How the outbox keeps a time: nanoseconds since the epoch in a 64-bit integer, exact from the year
 * 1677 to 2262 and clamped to that range beyond it, so that a delivery's schedule comes back as it
 * was given. Internal; may change without notice.
 */
final class EpochNanos {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Instant MIN = Instant.ofEpochSecond(0, Long.MIN_VALUE);
  private static final Instant MAX = Instant.ofEpochSecond(0, Long.MAX_VALUE);

  private EpochNanos() {}

  static long of(Instant t) {
    if (t.isBefore(MIN)) {
      return Long.MIN_VALUE;
    }
    if (t.isAfter(MAX)) {
      return Long.MAX_VALUE;
    }
    // Cannot overflow inside [MIN, MAX]: the seconds part is at most Long.MAX_VALUE / 1e9 in size.
    return t.getEpochSecond() * NANOS_PER_SECOND + t.getNano();
  }

  static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }
}
