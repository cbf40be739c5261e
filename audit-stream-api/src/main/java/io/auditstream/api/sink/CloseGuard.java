package io.auditstream.api.sink;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a {@link Sink} has been closed, and the failures a sink reports for it: a sink checks
 * {@link #checkOpen(String)} before each request and {@link #checkNotClosedDuring(String)} when a
 * request fails, and its {@link Sink#close()} releases its client only when {@link #markClosed()}
 * says it is the first close.
 *
 * <pre>{@code
 * private final CloseGuard closeGuard = new CloseGuard();
 *
 * public void deliver(List<EncodedEvent> batch) throws DeliveryException {
 *   closeGuard.checkOpen("destination host " + host);
 *   ...
 * }
 *
 * public void close() {
 *   if (closeGuard.markClosed()) {
 *     client.close();
 *   }
 * }
 * }</pre>
 *
 * <p>Both failures are retryable: an event that meets a closing sink is normally the one the
 * engine hands again to the sink that replaces it (after an update) or keeps queued (at shutdown).
 *
 * <p>Thread-safe and lock-free: {@link #markClosed()} may race with the checks of a delivery on
 * another thread. A check that passed does not keep the sink open; a sink whose close must not
 * overlap the making of a client holds its own lock around both.
 */
public final class CloseGuard {
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A guard of a sink that is open. */
  public CloseGuard() {}

  /**
   * Throws when the sink has been closed; does nothing otherwise. Never blocks.
   *
   * @param what the destination the sink writes to, for the message, for example {@code
   *     "destination host audit.example.com"}; never a secret
   * @throws DeliveryException retryable, {@code "sink of <what> is closed"}
   */
  public void checkOpen(String what) throws DeliveryException {
    if (closed.get()) {
      throw DeliveryException.retryable("sink of " + what + " is closed");
    }
  }

  /**
   * For a request that failed: throws when the sink has been closed meanwhile, so that the failure
   * is reported as the close it stems from rather than as the client's error. Does nothing
   * otherwise, and the caller reports the failure itself. Never blocks.
   *
   * @param what the destination the sink writes to, for the message; never a secret
   * @throws DeliveryException retryable, {@code "sink of <what> was closed during the request"}
   */
  public void checkNotClosedDuring(String what) throws DeliveryException {
    if (closed.get()) {
      throw DeliveryException.retryable("sink of " + what + " was closed during the request");
    }
  }

  /**
   * Marks the sink closed. Returns {@code true} for the first call only, so that exactly one caller
   * releases the sink's resources and {@link Sink#close()} stays idempotent.
   */
  public boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Whether {@link #markClosed()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "CloseGuard{closed=" + closed.get() + "}";
  }
}
