package io.auditstream.api.sink;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;

/**
 * Makes {@link Sink}s for one kind of destination. Implementations are small public classes with a
 * public no-argument constructor, listed in {@code
 * META-INF/services/io.auditstream.api.sink.SinkProvider}, and found through {@link
 * java.util.ServiceLoader}.
 *
 * <pre>{@code
 * public final class HttpSinkProvider implements SinkProvider {
 *   public String kind() { return "http"; }
 *   public Sink create(Destination destination, SinkContext context) { ... }
 * }
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
public interface SinkProvider {
  /** The destination kind it serves, for example {@code http}; lowercase. */
  String kind();

  /**
   * Checks settings beyond what their own type checks, when a destination of this kind is saved.
   * The default accepts everything.
   *
   * @throws ValidationException naming the field and the rule
   */
  default void validate(DestinationConfig config) {}

  /**
   * Checks settings against the engine's policy too (for example refusing a destination on the local
   * network while {@link SinkContext#allowLocalNetwork()} is off), when a destination of this kind
   * is saved. The default calls {@link #validate(DestinationConfig)}.
   *
   * @throws ValidationException naming the field and the rule
   */
  default void validate(DestinationConfig config, SinkContext context) {
    validate(config);
  }

  /**
   * Creates the sink of one destination. Must not do network I/O: connect lazily in {@link
   * Sink#deliver}.
   */
  Sink create(Destination destination, SinkContext context);
}
