package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink of one delivery lane: created lazily, by the lane's running task, from the destination's
 * current settings; replaced when they change; closed for good when the lane retires.
 *
 * <p>Replacement never puts deliveries on two sinks in flight: when attempts may be in flight on the
 * old sink, it is only marked stale, and the lane sends nothing more until every one of them landed; then
 * it closes the old sink ({@link #closeIfStale}) and the next attempt creates the new one.
 *
 * <p>Thread-safe: one lock guards the sink reference; it is never held while the {@link
 * SinkFactory} creates a sink or a sink closes.
 */
final class LaneSink {
  private static final Logger log = LoggerFactory.getLogger(LaneSink.class);

  private final DestinationId id;
  private final LaneContext ctx;
  private final Object lock = new Object();
  // Only the lane's running task reads and writes these (start is called by it alone).
  private Duration noAnswerBound;
  private AttemptFailure noAnswer;
  // guarded by lock
  private Sink sink;
  // The destination the sink was made for: a sink made from settings that changed since is never reused.
  private Destination createdFor;
  private boolean stale;
  private boolean closed;
  // The deliveries of the current sink that it has not answered yet.
  private AtomicInteger unanswered = new AtomicInteger();

  LaneSink(DestinationId id, LaneContext ctx) {
    this.id = id;
    this.ctx = ctx;
  }

  /**
   * The sink for {@code destination}, created if there is none (or only a stale one). Called only by
   * the lane's running task.
   *
   * @return the sink, or null when it was closed for good meanwhile
   * @throws io.auditstream.api.MissingSinkException when no provider serves the destination's kind
   * @throws RuntimeException when the factory fails to create the sink
   */
  Sink get(Destination destination) {
    Sink old;
    synchronized (lock) {
      if (closed) {
        return null;
      }
      if (sink != null && !stale && !needsNewSink(createdFor, destination)) {
        return sink;
      }
      old = sink;
      sink = null;
      createdFor = null;
      stale = false;
    }
    closeQuietly(old);
    Sink created = ctx.sinks().create(destination);
    synchronized (lock) {
      if (!closed) {
        sink = created;
        createdFor = destination;
        unanswered = new AtomicInteger();
        return created;
      }
    }
    closeQuietly(created);
    return null;
  }

  /**
   * The destination's settings changed. When attempts may be in flight, the sink is only marked
   * stale ({@link #closeIfStale} closes it after they landed); otherwise it is detached and returned, for the
   * caller to {@link #closeQuietly close} once it has released its own lock.
   *
   * @return the detached sink, or null
   */
  Sink settingsChanged(boolean attemptMayBeInFlight) {
    synchronized (lock) {
      if (attemptMayBeInFlight) {
        stale = true;
        return null;
      }
      Sink detached = sink;
      sink = null;
      return detached;
    }
  }

  /**
   * How many more deliveries {@code s}, the sink {@link #get} returned, may have in flight now: the
   * engine's window and the sink's {@link Sink#maxInFlight()}, less its deliveries still unanswered (a
   * delivery that timed out keeps its place until the sink answers it, so that the engine never has
   * more than that in flight, nor holds more threads of a sink that blocks). Never negative.
   */
  int room(Sink s) {
    return Math.max(0, allowed(s) - unanswered(s));
  }

  /** How many deliveries {@code s} may have in flight at most: the engine's window or the sink's, the smaller. */
  int allowed(Sink s) {
    return Math.min(ctx.settings().maxInFlightPerDestination(), Math.max(1, s.maxInFlight()));
  }

  /** How many deliveries {@code s} has not answered yet. */
  int unanswered(Sink s) {
    synchronized (lock) {
      return s == sink ? unanswered.get() : 0;
    }
  }

  /**
   * Hands {@code batch} to {@code s}, the sink {@link #get} returned, with {@link Sink#deliverAsync} in a
   * new {@link io.auditstream.api.sink.DeliveryAttempt} of {@code destination}, made now by the engine's
   * clock ({@link WebhookSigner}: the token, and the signature when it signs); never blocks on the
   * delivery. Called only by the lane's running task.
   *
   * @return a future that completes with null when the destination accepted the batch, and otherwise with
   *     what the failure said (anything but a {@link io.auditstream.api.sink.DeliveryException} counts as a
   *     retryable failure, as does no answer within {@code bound}); it never completes exceptionally
   */
  CompletableFuture<AttemptFailure> start(Sink s, Destination destination, List<QueuedDelivery> batch,
      Duration bound) {
    List<EncodedEvent> events = batch.stream().map(QueuedDelivery::event).toList();
    AtomicInteger counter;
    synchronized (lock) {
      counter = s == sink ? unanswered : new AtomicInteger();
    }
    counter.incrementAndGet();
    CompletableFuture<Void> call;
    try {
      // Per attempt, not per sink: a retry carries the attempt's own time, and a new signing secret takes
      // effect on the next attempt without a new sink.
      call = s.deliverAsync(events, WebhookSigner.attempt(destination, ctx.clock().instant()), ctx.blocking());
      if (call == null) {
        throw new IllegalStateException("deliverAsync returned no future");
      }
    } catch (RuntimeException e) {
      counter.decrementAndGet();
      return CompletableFuture.completedFuture(AttemptFailure.unexpected(e));
    }
    // Counted down when the sink answers, even long after the bound: until then the call holds its place.
    // The outcome follows the count, so that the attempt that lands finds the room the answer freed.
    CompletableFuture<Void> counted = call.whenComplete((v, e) -> counter.decrementAndGet());
    // A future of our own, so that the bound never completes the sink's.
    return counted.thenApply(v -> (AttemptFailure) null)
        .exceptionally(AttemptFailure::ofAsync)
        .completeOnTimeout(noAnswer(bound), bound.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The failure of a delivery unanswered within {@code bound}: made once per bound, not once per delivery. */
  private AttemptFailure noAnswer(Duration bound) {
    AttemptFailure f = noAnswer;
    if (f == null || !bound.equals(noAnswerBound)) {
      f = AttemptFailure.noAnswer(bound);
      noAnswerBound = bound;
      noAnswer = f;
    }
    return f;
  }

  /** Whether the sink's settings changed while attempts were in flight on it. */
  boolean stale() {
    synchronized (lock) {
      return stale;
    }
  }

  /** Closes the sink if its settings changed while attempts were in flight on it (none is now). */
  void closeIfStale() {
    Sink toClose = null;
    synchronized (lock) {
      if (stale) {
        toClose = sink;
        sink = null;
        stale = false;
      }
    }
    closeQuietly(toClose);
  }

  /** Closes the sink, even during an attempt (sinks allow it); no sink is created afterwards. */
  void closeForGood() {
    Sink toClose;
    synchronized (lock) {
      closed = true;
      toClose = sink;
      sink = null;
    }
    closeQuietly(toClose);
  }

  /** Whether a change of {@code a} into {@code b} needs a new sink (filters and active flag do not). */
  static boolean needsNewSink(Destination a, Destination b) {
    return !a.config().equals(b.config()) || !a.verificationToken().equals(b.verificationToken())
        || !a.name().equals(b.name());
  }

  /** Closes {@code s} (if not null); a sink that throws is logged, not propagated. */
  void closeQuietly(Sink s) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (RuntimeException e) {
      // Sinks must not throw from close; one that does must not stop the lane or the shutdown.
      log.warn("Closing the sink of destination {} failed: {}", id, e.getClass().getSimpleName());
    }
  }
}
