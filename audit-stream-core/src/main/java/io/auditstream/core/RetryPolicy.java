package io.auditstream.core;

import io.auditstream.api.ValidationException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the dispatcher retries a destination's transient failures: exponential backoff with
 * jitter (each wait drawn between half and all of the computed value), capped, for a bounded number
 * of attempts per event. A {@code Retry-After} from the receiver raises the wait for that attempt
 * (never above {@link #maxBackoff()} times four).
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** Attempts per event unless configured otherwise, the first included: 8. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  /** The wait after the first failed attempt unless configured otherwise: 500 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
  /** The longest wait computed between two attempts unless configured otherwise: 30 seconds. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** The factor the wait grows by after each failed attempt unless configured otherwise: 2. */
  public static final double DEFAULT_MULTIPLIER = 2.0;

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final boolean jitter;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
  }

  /** A new builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts, 500 ms doubling up to 30 s, with jitter. */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /** Attempts per event, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait after the first failed attempt, before jitter. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The cap on the computed wait, before jitter; a {@code Retry-After} may raise a wait up to four times it.
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** The factor the wait grows by after each further failed attempt. */
  public double multiplier() {
    return multiplier;
  }

  /** Whether waits are randomised between half and all of the computed wait. */
  public boolean jitter() {
    return jitter;
  }

  /**
   * The wait before attempt {@code failedAttempts + 1}: {@code initial * multiplier^(failed-1)},
   * capped at {@code maxBackoff}; with jitter, a uniform random value between half of that and all
   * of it, so that destinations recovering together are not hit in lockstep.
   */
  public Duration backoff(int failedAttempts) {
    double base = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
    long capped = (long) Math.min(base, maxBackoff.toMillis());
    if (!jitter || capped <= 1) {
      return Duration.ofMillis(capped);
    }
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped - capped / 2 + 1));
  }

  /** The wait before the next attempt, honouring a receiver's {@code Retry-After}. */
  public Duration backoff(int failedAttempts, Duration retryAfter) {
    Duration own = backoff(failedAttempts);
    if (retryAfter == null || retryAfter.compareTo(own) <= 0) {
      return own;
    }
    Duration ceiling = maxBackoff.multipliedBy(4);
    return retryAfter.compareTo(ceiling) > 0 ? ceiling : retryAfter;
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter + "}";
  }

  /** Builds a {@link RetryPolicy}. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private boolean jitter = true;

    private Builder() {}

    /**
     * Attempts per event, the first included; 1 to 100, default {@value RetryPolicy#DEFAULT_MAX_ATTEMPTS}.
     * Checked by {@link #build()}.
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait after the first failed attempt; zero or positive, default 500 ms. Checked by {@link #build()}.
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /**
     * The cap on the computed wait; at least {@code initialBackoff}, default 30 seconds. Checked by {@link
     * #build()}.
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * The factor the wait grows by per failed attempt; 1 to 10, default {@value
     * RetryPolicy#DEFAULT_MULTIPLIER}. Checked by {@link #build()}.
     */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** Whether to randomise each wait between half and all of its computed value; default {@code true}. */
    public Builder jitter(boolean jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * @throws ValidationException naming each setting out of range
     */
    public RetryPolicy build() {
      ValidationException.Collector v = ValidationException.collector();
      v.check(maxAttempts >= 1 && maxAttempts <= 100, "maxAttempts",
          "maxAttempts must be 1 to 100 (was " + maxAttempts + ")");
      v.check(initialBackoff != null && !initialBackoff.isNegative(), "initialBackoff",
          "initialBackoff must be zero or positive");
      v.check(maxBackoff != null && initialBackoff != null && maxBackoff.compareTo(initialBackoff) >= 0,
          "maxBackoff", "maxBackoff must be at least initialBackoff");
      v.check(multiplier >= 1.0 && multiplier <= 10.0, "multiplier",
          "multiplier must be 1 to 10 (was " + multiplier + ")");
      v.throwIfAny();
      return new RetryPolicy(this);
    }
  }
}
