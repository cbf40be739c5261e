package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.spi.QueuedDelivery;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink of one delivery lane: created lazily, on the lane's own thread, from the destination's
 * current settings; replaced when they change; closed for good when the lane retires.
 *
 * <p>Replacement never puts two deliveries in flight: when an attempt may be running on the old
 * sink, it is only marked stale, and {@link #attempt} closes it right after that attempt; the next
 * attempt creates the new one.
 *
 * <p>Thread-safe: one lock guards the sink reference; it is never held while the {@link
 * SinkFactory} creates a sink or a sink closes.
 */
final class LaneSink {
  private static final Logger log = LoggerFactory.getLogger(LaneSink.class);

  private final DestinationId id;
  private final LaneContext ctx;
  private final Object lock = new Object();
  // guarded by lock
  private Sink sink;
  // The destination the sink was made for: a sink made from settings that changed since is never reused.
  private Destination createdFor;
  private boolean stale;
  private boolean closed;

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
        return created;
      }
    }
    closeQuietly(created);
    return null;
  }

  /**
   * The destination's settings changed. When an attempt may be in flight, the sink is only marked
   * stale ({@link #attempt} closes it after the attempt); otherwise it is detached and returned, for the
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
   * Hands {@code batch} to {@code s}, the sink {@link #get} returned, then closes {@code s} if the
   * destination's settings changed during the attempt. Called only by the lane's running task.
   *
   * @return null when the destination accepted the batch; otherwise what the failure said (a {@link
   *     RuntimeException} from the sink counts as a retryable failure)
   */
  AttemptFailure attempt(Sink s, List<QueuedDelivery> batch) {
    List<EncodedEvent> events = batch.stream().map(QueuedDelivery::event).toList();
    try {
      s.deliver(events);
      return null;
    } catch (DeliveryException e) {
      return AttemptFailure.of(e);
    } catch (RuntimeException e) {
      return AttemptFailure.unexpected(e);
    } finally {
      closeIfStale();
    }
  }

  /** Closes the sink if its settings changed during the attempt that just ended. */
  private void closeIfStale() {
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
