package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.SinkContext;
import java.util.Map;
import java.util.Optional;

/**
 * The contract of a config's own kind ({@link DestinationConfig#destinationKind()}) applied to a
 * config whose type is not known where it is used: in an engine or a store that handles every kind
 * alike. Each method casts the config to its kind's type and calls the kind. Stateless.
 */
public final class DestinationConfigs {
  private DestinationConfigs() {}

  /** {@link DestinationKind#encode} of the config's kind. */
  public static StoredConfig encode(DestinationConfig config) {
    return encode(config.destinationKind(), config);
  }

  /** {@link DestinationKind#uniqueKey} of the config's kind. */
  public static Optional<UniqueKey> uniqueKey(DestinationConfig config) {
    return uniqueKey(config.destinationKind(), config);
  }

  /** {@link DestinationKind#writeOnlySecrets} of the config's kind. */
  public static Map<String, WriteOnlySecret> writeOnlySecrets(DestinationConfig config) {
    return writeOnlySecrets(config.destinationKind(), config);
  }

  /** {@link DestinationKind#redacted} of the config's kind. */
  public static DestinationConfig redacted(DestinationConfig config) {
    return redacted(config.destinationKind(), config);
  }

  /** {@link DestinationKind#validate} of the config's kind. */
  public static void validate(DestinationConfig config, SinkContext context, ValidationException.Collector v) {
    validate(config.destinationKind(), config, context, v);
  }

  /**
   * {@link DestinationKind#keepingSecrets} of {@code update}'s kind.
   *
   * @throws ValidationException on field {@code config} when {@code stored} is of another kind
   */
  public static DestinationConfig keepingSecrets(DestinationConfig update, DestinationConfig stored) {
    return keepingSecrets(update.destinationKind(), update, stored);
  }

  private static <C extends DestinationConfig> StoredConfig encode(DestinationKind<C> kind, DestinationConfig c) {
    return kind.encode(kind.cast(c));
  }

  private static <C extends DestinationConfig> Optional<UniqueKey> uniqueKey(DestinationKind<C> kind,
      DestinationConfig c) {
    return kind.uniqueKey(kind.cast(c));
  }

  private static <C extends DestinationConfig> Map<String, WriteOnlySecret> writeOnlySecrets(DestinationKind<C> kind,
      DestinationConfig c) {
    return kind.writeOnlySecrets(kind.cast(c));
  }

  private static <C extends DestinationConfig> DestinationConfig redacted(DestinationKind<C> kind,
      DestinationConfig c) {
    return kind.redacted(kind.cast(c));
  }

  private static <C extends DestinationConfig> void validate(DestinationKind<C> kind, DestinationConfig c,
      SinkContext context, ValidationException.Collector v) {
    kind.validate(kind.cast(c), context, v);
  }

  private static <C extends DestinationConfig> DestinationConfig keepingSecrets(DestinationKind<C> kind,
      DestinationConfig update, DestinationConfig stored) {
    return kind.keepingSecrets(kind.cast(update), kind.cast(stored));
  }
}
