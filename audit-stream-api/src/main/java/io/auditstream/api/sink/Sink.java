package io.auditstream.api.sink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Delivers events to one destination. Created by a {@link SinkProvider} for a destination and
 * closed when the destination changes, is deleted, or the streamer closes.
 *
 * <p>Two ways to deliver. {@link #deliver} blocks its caller until the destination answered; {@link
 * #deliverAsync} returns at once with a future, so that a sink on an asynchronous client holds no
 * thread while the destination takes its time. The engine calls {@code deliverAsync}; its default runs
 * {@code deliver} on an executor the engine sets aside for sinks that block, so a sink that implements
 * only {@code deliver} works unchanged and costs one such thread per delivery in flight. The engine
 * calls the form that takes the {@link DeliveryAttempt}, whose default falls back to the one without.
 *
 * <p>In flight: the engine has at most {@link #maxInFlight()} deliveries of one sink in flight at once
 * (and no more than its own per-destination window). A sink that allows more than one must be
 * thread-safe; with one, the engine calls it from one thread at a time. Never from the host's thread.
 * Every network call a sink makes must have a timeout. {@link #close()} may come from another thread,
 * during a delivery.
 */
public interface Sink extends AutoCloseable {
  /**
   * Delivers {@code batch} (1 to {@link #maxBatchSize()} events, oldest first). Returns normally
   * only when the destination accepted all of them.
   *
   * @throws DeliveryException when it did not; say whether a retry could succeed
   */
  void deliver(List<EncodedEvent> batch) throws DeliveryException;

  /**
   * Delivers {@code batch} as {@link #deliver} does, without blocking the caller: the future completes
   * normally once the destination accepted all of it, or exceptionally with a {@link DeliveryException}
   * (any other exception counts as a retryable failure). The default runs {@link #deliver} on {@code
   * blockingExecutor}; sinks on an asynchronous client override it and ignore the executor.
   *
   * @param blockingExecutor where a sink may run work that blocks (a blocking call, a host name look-up)
   */
  default CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, Executor blockingExecutor) {
    return CompletableFuture.runAsync(() -> {
      try {
        deliver(batch);
      } catch (DeliveryException e) {
        throw new CompletionException(e);
      }
    }, blockingExecutor);
  }

  /**
   * Delivers {@code batch} as {@link #deliverAsync(List, Executor)} does, in the delivery attempt
   * {@code attempt}: the engine calls this form, once per attempt (a retry is a new attempt). A sink
   * whose destination carries headers sends, with each request, {@link DeliveryAttempt#headersFor} its
   * body: the verification token and, when the destination signs, the signature headers over exactly the
   * bytes it sends. The default ignores the attempt and calls {@link #deliverAsync(List, Executor)}, so
   * sinks written before it, and kinds that carry no headers, work unchanged.
   *
   * @param attempt the attempt's time and headers, computed by the engine
   * @param blockingExecutor where a sink may run work that blocks (a blocking call, a host name look-up)
   */
  default CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, DeliveryAttempt attempt,
      Executor blockingExecutor) {
    return deliverAsync(batch, blockingExecutor);
  }

  /** How many events one delivery may take; 1 unless the destination takes batches. */
  default int maxBatchSize() {
    return 1;
  }

  /**
   * The most bytes of encoded events (the sum of {@link EncodedEvent#json()} lengths) one delivery may
   * take; unbounded unless the destination limits the size of a request. The engine never hands a sink
   * more, except one event alone that is larger (which the sink then refuses, or sends, as it can).
   */
  default long maxBatchBytes() {
    return Long.MAX_VALUE;
  }

  /**
   * How long the engine may hold the first event of a batch back, when fewer than {@link #maxBatchSize()}
   * events are pending and none is in flight, for others to join it: fewer, larger deliveries for a little latency. Zero (the
   * default): a delivery starts with what is pending.
   */
  default Duration batchLinger() {
    return Duration.ZERO;
  }

  /**
   * How many deliveries of this sink may be in flight at once; 1 unless the sink is thread-safe and its
   * destination takes concurrent requests. The engine never exceeds it, nor its own window per
   * destination. With more than one in flight, the destination may receive events out of order.
   */
  default int maxInFlight() {
    return 1;
  }

  /** Releases connections and threads. Idempotent; never throws. */
  @Override
  default void close() {}
}
