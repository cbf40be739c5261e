package io.auditstream.api.spi;

import java.util.Collection;
import java.util.Set;

/**
 * The event types a host emits. When given to the engine, an event-type filter naming a type that
 * is not in the catalog is refused with a message naming it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface EventTypeCatalog {
  /**
   * Whether the host emits {@code eventType}. Called with each entry of a destination's event-type filter
   * when the destination is created or changed; should not block.
   */
  boolean contains(String eventType);

  /** A catalog that knows every type, so filters are not checked. */
  static EventTypeCatalog anyType() {
    return type -> true;
  }

  /** A catalog of exactly {@code types}. */
  static EventTypeCatalog of(Collection<String> types) {
    Set<String> copy = Set.copyOf(types);
    return type -> type != null && copy.contains(type);
  }
}
