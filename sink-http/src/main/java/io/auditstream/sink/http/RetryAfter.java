package io.auditstream.sink.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110 section 10.2.3): either a number of seconds or an
 * HTTP-date. Stateless and thread-safe.
 */
final class RetryAfter {
  /**
   * The longest wait a receiver may ask for. A receiver that answers with an absurd value (years)
   * must not park the destination forever; the engine's own backoff takes over beyond this.
   */
  static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  /**
   * The wait that {@code value} asks for, measured from {@code now}, capped at {@link #MAX}; a
   * date in the past gives zero. Empty when the header is absent or malformed, which then counts as
   * not given.
   */
  static Optional<Duration> parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More than 10 digits cannot fit MAX anyway; avoid overflowing the parse.
      long seconds = v.length() > 10 ? Long.MAX_VALUE : Long.parseLong(v);
      return Optional.of(cap(seconds >= MAX.getSeconds() ? MAX : Duration.ofSeconds(seconds)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : cap(wait));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration cap(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
