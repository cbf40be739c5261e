package io.auditstream.core;

import io.auditstream.api.ConflictException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationConfigs;
import io.auditstream.api.destination.UniqueKey;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.api.spi.EventTypeCatalog;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The rules {@link DestinationService} applies to a destination before saving it, through the
 * contract of its kind only, and the values it generates (names, verification tokens).
 * Thread-safe.
 */
final class DestinationRules {
  private static final String TOKEN_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final EventTypeCatalog catalog;
  private final SinkProviders sinks;
  private final SinkContext sinkContext;
  private final SecureRandom random = new SecureRandom();

  DestinationRules(EventTypeCatalog catalog, SinkProviders sinks, SinkContext sinkContext) {
    this.catalog = catalog;
    this.sinks = sinks;
    this.sinkContext = sinkContext;
  }

  /**
   * Builds the destination and runs every check that needs no other destination, reporting all
   * violations at once: the destination's own rules, the event-type catalog and, when {@code
   * configChanged}, the kind's save-time rules and its sink provider's.
   */
  Destination validate(Destination.Builder b, boolean configChanged) {
    ValidationException.Collector v = ValidationException.collector();
    Destination d = null;
    try {
      d = b.build();
    } catch (ValidationException e) {
      v.addAll("", e);
    }
    if (d != null) {
      TreeSet<String> unknown = new TreeSet<>();
      d.eventTypeFilter().stream().filter(t -> !catalog.contains(t)).forEach(unknown::add);
      v.check(unknown.isEmpty(), "eventTypeFilter", "eventTypeFilter names unknown event types: "
          + String.join(", ", unknown));
      if (configChanged) {
        validateConfig(d, v);
      }
    }
    v.throwIfAny();
    return d;
  }

  private void validateConfig(Destination d, ValidationException.Collector v) {
    DestinationConfig config = d.config();
    DestinationConfigs.writeOnlySecrets(config).forEach((name, secret) -> v.check(!secret.isRedacted(), name,
        name + " is redacted: give its value (a listed copy of another destination's config cannot be saved)"));
    DestinationConfigs.validate(config, sinkContext, v);
    try {
      SinkProvider provider = sinks.require(config);
      // The kind named by the config must be the one its provider serves, not merely share its name.
      provider.destinationKind().cast(config);
      // With the destination, so that a kind may check what depends on its group.
      provider.validate(d, sinkContext);
    } catch (ValidationException e) {
      v.addAll("", e);
    }
  }

  /**
   * Uniqueness per group: the name, and the key the kind names ({@code DestinationKind.uniqueKey}).
   *
   * @throws ConflictException naming the field, and the other destination by id
   */
  static void checkUnique(Destination d, List<Destination> others) {
    Optional<UniqueKey> key = DestinationConfigs.uniqueKey(d.config());
    for (Destination o : others) {
      if (o.name().equals(d.name())) {
        throw new ConflictException("name", "name must be unique in group '" + d.groupPath()
            + "': destination " + o.id() + " is already named '" + d.name() + "'");
      }
      if (key.isPresent() && o.kind().equals(d.kind())
          && key.get().sameAs(DestinationConfigs.uniqueKey(o.config()).orElse(null))) {
        throw new ConflictException(key.get().field(), key.get().rule() + " in group '" + d.groupPath()
            + "': destination " + o.id() + " " + key.get().clash());
      }
    }
  }

  String generateName(List<Destination> existing) {
    while (true) {
      String name = "Destination_" + Long.toHexString(random.nextLong() & 0xffffffffffffL);
      if (existing.stream().noneMatch(d -> d.name().equals(name))) {
        return name;
      }
    }
  }

  Secret generateToken() {
    char[] token = new char[DestinationService.GENERATED_TOKEN_LENGTH];
    for (int i = 0; i < token.length; i++) {
      token[i] = TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length()));
    }
    return Secret.of(new String(token));
  }
}
