package io.auditstream.api.sink;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;

/**
 * Makes {@link Sink}s for one kind of destination. Implementations are small public classes with a
 * public no-argument constructor, listed in {@code
 * META-INF/services/io.auditstream.api.sink.SinkProvider}, and found through {@link
 * java.util.ServiceLoader}.
 *
 * <pre>{@code
 * public final class HttpSinkProvider implements SinkProvider {
 *   public DestinationKind<?> destinationKind() { return HttpDestinationConfig.DESTINATION_KIND; }
 *   public Sink create(Destination destination, SinkContext context) {
 *     HttpDestinationConfig config = HttpDestinationConfig.DESTINATION_KIND.cast(destination.config());
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>The provider names its kind's contract ({@link DestinationKind}: config type, storage,
 * uniqueness, secrets), so a host's own kind needs nothing besides its config, its kind and this.
 *
 * <p>Implementations must be thread-safe.
 */
public interface SinkProvider {
  /** The contract of the destination kind it serves. */
  DestinationKind<?> destinationKind();

  /** The name of the kind it serves, for example {@code http}. */
  default String kind() {
    return destinationKind().name();
  }

  /**
   * Checks what only the sink can judge (for example that a key parses, or refusing a host on the
   * local network while {@link SinkContext#allowLocalNetwork()} is off), when a destination of this
   * kind is saved, after the kind's own rules passed; the engine reaches it through {@link
   * #validate(Destination, SinkContext)}, whose default calls it. The default accepts everything.
   *
   * @throws ValidationException naming the field and the rule
   */
  default void validate(DestinationConfig config, SinkContext context) {}

  /**
   * Checks a destination about to be saved, when its check needs more than the config: the group it
   * belongs to ({@link Destination#groupPath()}), for example to confine a local resource to that
   * group's own folder. This is what the engine calls, after the kind's own rules passed, whenever a
   * destination is created or its config changes. The default runs {@link #validate(DestinationConfig,
   * SinkContext)} on the destination's config.
   *
   * @throws ValidationException naming the field and the rule
   */
  default void validate(Destination destination, SinkContext context) {
    validate(destination.config(), context);
  }

  /**
   * Creates the sink of one destination. Must not do network I/O: connect lazily in {@link
   * Sink#deliver}.
   */
  Sink create(Destination destination, SinkContext context);
}
