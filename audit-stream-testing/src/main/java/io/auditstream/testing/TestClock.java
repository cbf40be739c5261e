package io.auditstream.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Clock} that stands still until a test moves it. UTC. Thread-safe. */
public final class TestClock extends Clock {
  private final AtomicReference<Instant> now;

  private TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock at {@code start}. */
  public static TestClock at(Instant start) {
    return new TestClock(start);
  }

  /** Moves the clock forward by {@code amount}. */
  public TestClock advance(Duration amount) {
    now.updateAndGet(t -> t.plus(amount));
    return this;
  }

  /** Sets the clock to {@code instant}. */
  public TestClock set(Instant instant) {
    now.set(instant);
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (!ZoneOffset.UTC.equals(zone)) {
      throw new IllegalArgumentException("TestClock is always UTC");
    }
    return this;
  }
}
