package io.auditstream.core.internal;

import io.auditstream.api.spi.QueuedDelivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a lane cuts what it leased into batches: oldest first, each up to the sink's number of events and
 * bytes (one event larger than the byte bound goes alone), and a batch that failed and was rescheduled
 * cut again exactly as it was. So a retry carries the same events as the attempt before it, and a
 * receiver sees the same batch (the same batch id, derived from its events' ids) on every attempt.
 *
 * <p>The failed batches' cuts are kept in memory, by their first event's id, until the batch is settled
 * (delivered, given up on, or split); at most {@value #MAX_KEPT}, the oldest forgotten first. A streamer
 * that restarts, or another instance that takes the deliveries over, may cut them differently.
 *
 * <p>Not thread-safe: only the lane's running task uses it.
 */
final class BatchGrouping {
  static final int MAX_KEPT = 4096;

  private final Map<String, Integer> kept = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > MAX_KEPT;
    }
  };

  /**
   * Cuts {@code leased} (oldest first) into at most {@code maxBatches} batches of at most {@code maxEvents}
   * events and {@code maxBytes} bytes of JSON. What is left over is not in any batch: the caller keeps it
   * for the next attempt. A batch kept from a failed attempt that {@code leased} holds only the start of
   * is left over too, unless it comes first.
   */
  List<List<QueuedDelivery>> cut(List<QueuedDelivery> leased, int maxBatches, int maxEvents, long maxBytes) {
    List<List<QueuedDelivery>> batches = new ArrayList<>();
    int from = 0;
    while (from < leased.size() && batches.size() < maxBatches) {
      Integer size = kept.get(leased.get(from).eventId());
      int to;
      if (size != null) {
        to = from + Math.min(size, maxEvents);
        if (to > leased.size()) {
          if (from > 0) {
            break;
          }
          to = leased.size();
        }
      } else {
        to = from + 1;
        long bytes = bytes(leased.get(from));
        while (to < leased.size() && to - from < maxEvents && !kept.containsKey(leased.get(to).eventId())) {
          bytes += bytes(leased.get(to));
          if (bytes > maxBytes) {
            break;
          }
          to++;
        }
      }
      batches.add(List.copyOf(leased.subList(from, to)));
      from = to;
    }
    return batches;
  }

  /**
   * The attempt on {@code batch} failed and it was rescheduled: it is cut the same way next time. A batch
   * of one event is kept too, or its retry would take in the events queued behind it and go out as another
   * batch, with another id.
   */
  void rescheduled(List<QueuedDelivery> batch) {
    if (!batch.isEmpty()) {
      kept.put(batch.get(0).eventId(), batch.size());
    }
  }

  /** {@code batch} was delivered, given up on or split: its cut is no longer kept. */
  void settled(List<QueuedDelivery> batch) {
    if (!kept.isEmpty() && !batch.isEmpty()) {
      kept.remove(batch.get(0).eventId());
    }
  }

  /** How many failed batches' cuts are kept. */
  int keptCount() {
    return kept.size();
  }

  private static long bytes(QueuedDelivery q) {
    return q.event().json().length;
  }
}
