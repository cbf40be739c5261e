package io.auditstream.api.sink;

import java.util.List;

/**
 * Delivers events to one destination. Created by a {@link SinkProvider} for a destination and
 * closed when the destination changes, is deleted, or the streamer closes.
 *
 * <p>Threading: the engine calls {@link #deliver} from one dispatcher thread at a time per sink,
 * never from the host's thread, so an implementation may block, but every network call it makes
 * must have a timeout. {@link #close()} may come from another thread.
 */
public interface Sink extends AutoCloseable {
  /**
   * Delivers {@code batch} (1 to {@link #maxBatchSize()} events, oldest first). Returns normally
   * only when the destination accepted all of them.
   *
   * @throws DeliveryException when it did not; say whether a retry could succeed
   */
  void deliver(List<EncodedEvent> batch) throws DeliveryException;

  /** How many events one {@link #deliver} call may take; 1 unless the destination takes batches. */
  default int maxBatchSize() {
    return 1;
  }

  /** Releases connections and threads. Idempotent; never throws. */
  @Override
  default void close() {}
}
