package io.auditstream.testing;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the events a {@link RecordingSinkProvider} received (a snapshot taken when
 * the assertion was made). Failure messages list what was received and name each destination by its
 * name and id ({@code destination "siem" (id 3f2c...)}), so that a failing test says which one it
 * means without a look-up.
 */
public final class ReceivedEventsAssert extends AbstractAssert<ReceivedEventsAssert, List<ReceivedEvent>> {
  private final String scope;
  private final Function<DestinationId, Optional<String>> names;

  ReceivedEventsAssert(List<ReceivedEvent> actual, String scope, Function<DestinationId, Optional<String>> names) {
    super(actual, ReceivedEventsAssert.class);
    this.scope = scope;
    this.names = names;
  }

  /**
   * Narrows the assertions to what one destination received. Failure messages name it by the name its
   * sink was created with, when the provider created one for it.
   */
  public ReceivedEventsAssert forDestination(DestinationId destination) {
    isNotNull();
    Objects.requireNonNull(destination, "destination");
    return narrowed(destination, describe(destination, names.apply(destination)));
  }

  /** Narrows the assertions to what {@code destination} received; failure messages name it as it is named there. */
  public ReceivedEventsAssert forDestination(Destination destination) {
    isNotNull();
    Objects.requireNonNull(destination, "destination");
    return narrowed(destination.id(), describe(destination.id(), Optional.of(destination.name())));
  }

  /**
   * How failure messages name a destination: {@code destination "siem" (id 3f2c...)}, or {@code
   * destination (id 3f2c...)} when its name is unknown.
   */
  static String describe(DestinationId id, Optional<String> name) {
    return name.map(n -> "destination \"" + n + "\" (id " + id + ")").orElse("destination (id " + id + ")");
  }

  private ReceivedEventsAssert narrowed(DestinationId destination, String narrowedScope) {
    return new ReceivedEventsAssert(actual.stream().filter(e -> e.destinationId().equals(destination)).toList(),
        narrowedScope, names);
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
    List<String> receivers = actual.stream().filter(e -> e.eventType().equals(eventType))
        .map(e -> describe(e.destinationId(), Optional.ofNullable(e.destinationName()))).distinct().toList();
    if (!receivers.isEmpty()) {
      failWithMessage("Expected %s to have received no event of type <%s> but %s did", scope, eventType,
          String.join(" and ", receivers));
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
