package io.auditstream.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the benchmark receiver counted: requests, events, distinct event ids, first and last request
 * times, and a histogram of emit-to-receipt latency per event (the event's {@code emitted_at_us} detail
 * against this JVM's wall clock, both in microseconds; the JVMs share the machine's clock). A body holds
 * one event, or, from a destination that batches, several as NDJSON (one JSON object per line); every
 * line counts as an event of its own. Buckets are log-linear with 64
 * steps per power of two, so a percentile is within 1.6% of the true value. Thread-safe.
 */
final class ReceiverStats {
  private static final byte[] ID_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMITTED = "\"emitted_at_us\":".getBytes(StandardCharsets.US_ASCII);
  private static final int BUCKETS = 64 + 40 * 64;

  private final LongAdder requests = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final AtomicLong firstMicros = new AtomicLong();
  private final AtomicLong lastMicros = new AtomicLong();
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
  private volatile long[] mark = new long[BUCKETS];

  /** Counts one request whose body is {@code body} (one event, or NDJSON lines), received at {@code nowMicros}. */
  void record(ByteBuffer body, long nowMicros) {
    requests.increment();
    firstMicros.compareAndSet(0, nowMicros);
    lastMicros.accumulateAndGet(nowMicros, Math::max);
    int lineStart = body.position();
    int limit = body.limit();
    long count = 0;
    for (int i = lineStart; i <= limit; i++) {
      if (i == limit || body.get(i) == '\n') {
        if (i > lineStart) {
          recordEvent(body, lineStart, i, nowMicros);
          count++;
        }
        lineStart = i + 1;
      }
    }
    events.add(count);
  }

  /** Counts the event in {@code body} from {@code from} to {@code to} (exclusive). */
  private void recordEvent(ByteBuffer body, int from, int to, long nowMicros) {
    if (startsWith(body, from, to, ID_PREFIX) && to - from > ID_PREFIX.length + 36) {
      byte[] id = new byte[36];
      body.get(from + ID_PREFIX.length, id);
      ids.add(new String(id, StandardCharsets.US_ASCII));
    }
    long emitted = emittedAt(body, from, to);
    if (emitted > 0) {
      latency.incrementAndGet(bucket(Math.max(0, nowMicros - emitted)));
    }
  }

  /** Zeroes everything. Not atomic with respect to requests arriving meanwhile. */
  void reset() {
    requests.reset();
    events.reset();
    firstMicros.set(0);
    lastMicros.set(0);
    ids.clear();
    for (int i = 0; i < BUCKETS; i++) {
      latency.set(i, 0);
    }
    mark = new long[BUCKETS];
  }

  /** Latency percentiles from now on count only what arrives after this call. */
  void mark() {
    long[] m = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      m[i] = latency.get(i);
    }
    mark = m;
  }

  /** The counters as one JSON object; latency since the last {@link #mark()}. */
  String json() {
    long[] m = mark;
    long[] counts = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = latency.get(i) - m[i];
      total += counts[i];
    }
    return String.format(Locale.ROOT,
        "{\"requests\":%d,\"events\":%d,\"distinct_ids\":%d,\"first_us\":%d,\"last_us\":%d,\"latency_count\":%d,"
            + "\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d}",
        requests.sum(), events.sum(), ids.size(), firstMicros.get(), lastMicros.get(), total,
        percentile(counts, total, 0.50), percentile(counts, total, 0.99), percentile(counts, total, 1.0));
  }

  private static long percentile(long[] counts, long total, double q) {
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return lowerBound(i);
      }
    }
    return lowerBound(counts.length - 1);
  }

  static int bucket(long micros) {
    if (micros < 64) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    int sub = (int) ((micros >>> (exponent - 6)) & 63);
    return Math.min(BUCKETS - 1, 64 + (exponent - 6) * 64 + sub);
  }

  static long lowerBound(int bucket) {
    if (bucket < 64) {
      return bucket;
    }
    int exponent = (bucket - 64) / 64 + 6;
    int sub = (bucket - 64) % 64;
    return (64L + sub) << (exponent - 6);
  }

  private static boolean startsWith(ByteBuffer body, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body.get(from + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of {@code "emitted_at_us":} in the event from {@code from} to {@code to}, searched from its
   * end (it is the last detail), or 0.
   */
  private static long emittedAt(ByteBuffer body, int from, int to) {
    for (int at = to - EMITTED.length; at >= from; at--) {
      if (matches(body, at)) {
        long value = 0;
        int i = at + EMITTED.length;
        while (i < to) {
          byte b = body.get(i++);
          if (b < '0' || b > '9') {
            break;
          }
          value = value * 10 + (b - '0');
        }
        return value;
      }
    }
    return 0;
  }

  private static boolean matches(ByteBuffer body, int at) {
    for (int i = 0; i < EMITTED.length; i++) {
      if (body.get(at + i) != EMITTED[i]) {
        return false;
      }
    }
    return true;
  }
}
