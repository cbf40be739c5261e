package io.auditstream.core;

import io.auditstream.api.ValidationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the engine attempts a delivery again after a transient failure, and when it gives up: a
 * schedule of waits and a maximum age, in the spirit of Svix and Standard Webhooks.
 *
 * <p>The first attempt is made at once. After the n-th failed attempt the next one waits the n-th
 * step of the {@link #schedule()}; the last step repeats. The default schedule is 5 seconds, 5
 * minutes, 30 minutes, 2 hours, 5 hours, then every 10 hours. With {@link #jitter()} (the default)
 * each wait is drawn between 80% and 120% of its step, so that destinations that recover together
 * are not hit in lockstep. A receiver's {@code Retry-After} longer than the wait is honoured, up to
 * the schedule's longest step.
 *
 * <p>A delivery is given up on, and kept as a dead letter that an Owner can redeliver, once it is
 * older than {@link #maxAge()} (default 72 hours, counted from when it was accepted) or as soon as its
 * next attempt would come after that: the reason reads {@code "aged out after N attempts: <last
 * error>"}. A permanent failure makes a dead letter at once, whatever the age.
 *
 * <p>A destination that is down is probed with its oldest delivery alone (or the oldest batch, for a
 * sink that takes batches) on this schedule; the deliveries behind it wait, in order, and once a probe
 * succeeds they follow back to back.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** The waits after the first, second, ... failed attempt unless configured otherwise; the last repeats. */
  public static final List<Duration> DEFAULT_SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
      Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));
  /** How old a delivery may grow before it is given up on, unless configured otherwise: 72 hours. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(72);
  /** The most steps a schedule may have. */
  public static final int MAX_SCHEDULE_STEPS = 100;

  private static final double JITTER_LOW = 0.8;
  private static final double JITTER_HIGH = 1.2;

  private final List<Duration> schedule;
  private final Duration maxAge;
  private final boolean jitter;
  private final Duration longestStep;

  private RetryPolicy(Builder b) {
    this.schedule = b.schedule;
    this.maxAge = b.maxAge;
    this.jitter = b.jitter;
    this.longestStep = schedule.stream().max(Duration::compareTo).orElseThrow();
  }

  /** A new builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: {@link #DEFAULT_SCHEDULE}, a maximum age of 72 hours, with jitter. */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** The waits after the first, second, ... failed attempt, before jitter; the last one repeats. */
  public List<Duration> schedule() {
    return schedule;
  }

  /** How old a delivery may grow, from when it was accepted, before it becomes a dead letter. */
  public Duration maxAge() {
    return maxAge;
  }

  /** Whether each wait is drawn between 80% and 120% of its step. */
  public boolean jitter() {
    return jitter;
  }

  /** The longest {@code Retry-After} honoured: the schedule's longest step. */
  public Duration maxRetryAfter() {
    return longestStep;
  }

  /**
   * The wait after {@code failedAttempts} failed attempts: the schedule's step of that number (its
   * last step beyond its end), with jitter when the policy has it.
   *
   * @throws IllegalArgumentException when {@code failedAttempts} is less than 1
   */
  public Duration delay(int failedAttempts) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1 (was " + failedAttempts + ")");
    }
    Duration step = schedule.get(Math.min(failedAttempts, schedule.size()) - 1);
    if (!jitter || step.isZero()) {
      return step;
    }
    long nanos = saturatedNanos(step);
    double factor = ThreadLocalRandom.current().nextDouble(JITTER_LOW, JITTER_HIGH);
    return Duration.ofNanos((long) Math.min(Long.MAX_VALUE, nanos * factor));
  }

  /**
   * The wait after {@code failedAttempts} failed attempts, honouring a receiver's {@code Retry-After}
   * (null for none) when it is longer, up to {@link #maxRetryAfter()}.
   */
  public Duration delay(int failedAttempts, Duration retryAfter) {
    Duration own = delay(failedAttempts);
    if (retryAfter == null) {
      return own;
    }
    // A receiver may ask for more time, but may not stall a destination beyond the schedule's own reach.
    Duration asked = retryAfter.compareTo(longestStep) > 0 ? longestStep : retryAfter;
    return asked.compareTo(own) > 0 ? asked : own;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "RetryPolicy{schedule=" + schedule + ", maxAge=" + maxAge + ", jitter=" + jitter + "}";
  }

  /** Builds a {@link RetryPolicy}. */
  public static final class Builder {
    private List<Duration> schedule = DEFAULT_SCHEDULE;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private boolean jitter = true;

    private Builder() {}

    /**
     * The waits after the first, second, ... failed attempt; the last one repeats until the delivery
     * ages out. 1 to {@value RetryPolicy#MAX_SCHEDULE_STEPS} steps, each zero or positive, the last
     * positive; default {@link RetryPolicy#DEFAULT_SCHEDULE}. Checked by {@link #build()}.
     */
    public Builder schedule(Duration... steps) {
      this.schedule = steps == null ? null : Arrays.asList(steps.clone());
      return this;
    }

    /** As {@link #schedule(Duration...)}, from a list. */
    public Builder schedule(List<Duration> steps) {
      this.schedule = steps == null ? null : List.copyOf(steps);
      return this;
    }

    /**
     * How old a delivery may grow, from when it was accepted, before it is given up on; positive,
     * default 72 hours. Checked by {@link #build()}.
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = maxAge;
      return this;
    }

    /** Whether to draw each wait between 80% and 120% of its step; default {@code true}. */
    public Builder jitter(boolean jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * @throws ValidationException naming each setting out of range
     */
    public RetryPolicy build() {
      ValidationException.Collector v = ValidationException.collector();
      boolean stepsPresent = schedule != null && !schedule.isEmpty() && schedule.stream().allMatch(Objects::nonNull);
      v.check(stepsPresent && schedule.size() <= MAX_SCHEDULE_STEPS, "schedule",
          "schedule must have 1 to " + MAX_SCHEDULE_STEPS + " steps, none of them null");
      if (stepsPresent) {
        v.check(schedule.stream().noneMatch(Duration::isNegative), "schedule", "schedule steps must be zero or positive");
        Duration last = schedule.get(schedule.size() - 1);
        v.check(last.isNegative() || !last.isZero(), "schedule",
            "the last schedule step must be positive: it repeats until a delivery ages out");
      }
      v.check(maxAge != null && !maxAge.isNegative() && !maxAge.isZero(), "maxAge", "maxAge must be positive");
      v.throwIfAny();
      schedule = List.copyOf(schedule);
      return new RetryPolicy(this);
    }
  }
}
