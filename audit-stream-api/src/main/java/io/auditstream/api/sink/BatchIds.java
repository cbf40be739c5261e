package io.auditstream.api.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The id of a batch of events, for sinks that send many events in one request: receivers deduplicate
 * a batch that is sent again on it, as they deduplicate an event on its {@code id}. Derived from the
 * events' ids alone, in order, so the same batch gets the same id on every retry and in every process
 * (a host that restarts and resends the batch from its durable store), and a batch of other events, or
 * of the same events in another order, gets another.
 *
 * <p>The id is the name-based (version 3) UUID, in its usual 36-character form, of the UTF-8 bytes of
 * each event id written as {@code <length>:<id>\n} one after the other, the length in UTF-16 code units
 * as {@link String#length()} counts them (so that ids holding line breaks cannot run together).
 *
 * <p>Stateless; thread-safe.
 */
public final class BatchIds {
  private BatchIds() {}

  /**
   * The id of {@code batch}.
   *
   * @throws IllegalArgumentException when {@code batch} is empty
   * @throws NullPointerException when {@code batch} or one of its events is null
   */
  public static String of(List<EncodedEvent> batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("batch must hold at least one event (was empty)");
    }
    StringBuilder name = new StringBuilder(batch.size() * 40);
    for (EncodedEvent e : batch) {
      String id = Objects.requireNonNull(e, "event of batch").event().id();
      name.append(id.length()).append(':').append(id).append('\n');
    }
    return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
  }
}
