package io.auditstream.testing;

import io.auditstream.api.destination.DestinationId;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the events a {@link RecordingSinkProvider} received (a snapshot taken when
 * the assertion was made). Failure messages list what was received.
 */
public final class ReceivedEventsAssert extends AbstractAssert<ReceivedEventsAssert, List<ReceivedEvent>> {
  private final String scope;

  ReceivedEventsAssert(List<ReceivedEvent> actual, String scope) {
    super(actual, ReceivedEventsAssert.class);
    this.scope = scope;
  }

  /** Narrows the assertions to what one destination received. */
  public ReceivedEventsAssert forDestination(DestinationId destination) {
    isNotNull();
    return new ReceivedEventsAssert(
        actual.stream().filter(e -> e.destinationId().equals(destination)).toList(), "destination " + destination);
  }

  /** At least one event of {@code eventType} was received. */
  public ReceivedEventsAssert receivedEventOfType(String eventType) {
    isNotNull();
    if (actual.stream().noneMatch(e -> e.eventType().equals(eventType))) {
      failWithMessage("Expected %s to have received an event of type <%s> but received types %s",
          scope, eventType, types());
    }
    return this;
  }

  /** No event of {@code eventType} was received. */
  public ReceivedEventsAssert receivedNoEventOfType(String eventType) {
    isNotNull();
    if (actual.stream().anyMatch(e -> e.eventType().equals(eventType))) {
      failWithMessage("Expected %s to have received no event of type <%s> but it did", scope, eventType);
    }
    return this;
  }

  /**
   * The event with {@code id} was received, at least once (delivery is at-least-once: a receiver
   * may see an event again and deduplicates on its id).
   */
  public ReceivedEventsAssert receivedEventWithId(String id) {
    isNotNull();
    if (actual.stream().noneMatch(e -> Objects.equals(e.event().id(), id))) {
      failWithMessage("Expected %s to have received the event with id <%s> but received ids %s",
          scope, id, actual.stream().map(e -> e.event().id()).toList());
    }
    return this;
  }

  /** Exactly {@code count} events were received. */
  public ReceivedEventsAssert receivedCount(int count) {
    isNotNull();
    if (actual.size() != count) {
      failWithMessage("Expected %s to have received %s events but received %s: %s", scope, count, actual.size(),
          types());
    }
    return this;
  }

  /** Nothing was received. */
  public ReceivedEventsAssert receivedNothing() {
    return receivedCount(0);
  }

  /** The event types received, in order, are exactly {@code eventTypes}. */
  public ReceivedEventsAssert receivedTypesInOrder(String... eventTypes) {
    isNotNull();
    if (!types().equals(List.of(eventTypes))) {
      failWithMessage("Expected %s to have received types %s in order but received %s", scope,
          List.of(eventTypes), types());
    }
    return this;
  }

  private List<String> types() {
    return actual.stream().map(ReceivedEvent::eventType).toList();
  }
}
