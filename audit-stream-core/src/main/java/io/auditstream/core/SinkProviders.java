package io.auditstream.core;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.DestinationConfigs;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink providers of one streamer, by kind, and the destination kinds it knows: those of its
 * providers and those found through {@link ServiceLoader}. Two providers for one kind: the one whose
 * class name sorts first wins, and a warning names both. What a destination needs that no provider
 * serves is reported by {@link MissingSinkException}, naming the artifact its kind names.
 *
 * <p>Immutable and thread-safe.
 */
final class SinkProviders {
  private static final Logger log = LoggerFactory.getLogger(SinkProviders.class);

  private final Map<String, SinkProvider> byKind;
  private final DestinationKinds listedKinds;
  private final DestinationKinds kinds;

  private SinkProviders(Map<String, SinkProvider> byKind, DestinationKinds listedKinds) {
    this.byKind = Map.copyOf(byKind);
    this.listedKinds = listedKinds;
    this.kinds = listedKinds.with(byKind.values().stream().<DestinationKind<?>>map(SinkProvider::destinationKind)
        .toList());
  }

  /** The providers that {@code classLoader} can see through {@link ServiceLoader}, and their kinds and the listed ones. */
  static SinkProviders discover(ClassLoader classLoader) {
    List<SinkProvider> found = new ArrayList<>();
    var it = ServiceLoader.load(SinkProvider.class, classLoader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        // One broken plug-in must not hide the others, nor stop the host.
        log.warn("Ignoring a sink provider that could not be loaded: {}", e.getMessage());
      }
    }
    return new SinkProviders(byKind(found), DestinationKinds.listed(classLoader));
  }

  /** Exactly these providers, their kinds, and the kinds listed as services that {@code classLoader} can see. */
  static SinkProviders of(Collection<? extends SinkProvider> providers, ClassLoader classLoader) {
    return new SinkProviders(byKind(providers), DestinationKinds.listed(classLoader));
  }

  /** These providers with {@code providers} added, each replacing any other provider of its kind. */
  SinkProviders withOverrides(Collection<? extends SinkProvider> providers) {
    if (providers.isEmpty()) {
      return this;
    }
    Map<String, SinkProvider> merged = new LinkedHashMap<>(byKind);
    providers.forEach(p -> merged.put(p.kind().toLowerCase(Locale.ROOT), p));
    return new SinkProviders(merged, listedKinds);
  }

  /** Every kind known: the providers' and those found through {@link ServiceLoader}. */
  DestinationKinds kinds() {
    return kinds;
  }

  /** The provider of {@code kind}, if one is present. */
  Optional<SinkProvider> find(String kind) {
    return Optional.ofNullable(byKind.get(kind.toLowerCase(Locale.ROOT)));
  }

  /**
   * The provider that serves {@code config}'s kind.
   *
   * @throws MissingSinkException naming the artifact to add
   */
  SinkProvider require(DestinationConfig config) {
    Optional<SinkProvider> p = config.destinationKind().available() ? find(config.kind()) : Optional.empty();
    return p.orElseThrow(() -> new MissingSinkException(config.kind(), brokenRules(config)
        .map(SinkProviders::brokenRulesMessage).orElseGet(() -> missingMessage(config))));
  }

  /**
   * The rules of its kind that {@code config} breaks when it is a stored config kept unavailable although
   * a provider here serves its kind (see {@link DestinationKinds#brokenRules}); empty otherwise.
   */
  Optional<ValidationException> brokenRules(DestinationConfig config) {
    return find(config.kind()).isPresent() ? kinds.brokenRules(config) : Optional.empty();
  }

  /** What a delivery to a destination whose stored config breaks {@code rules} fails with, and what to do. */
  static String brokenRulesMessage(ValidationException rules) {
    return "its stored config breaks rules of this version (" + rules.violations().stream()
        .map(ValidationException.Violation::message).collect(Collectors.joining("; "))
        + "): nothing is delivered to it until an Owner saves a config that follows them";
  }

  /**
   * Creates the sink of {@code destination}.
   *
   * @throws MissingSinkException naming the artifact to add
   */
  Sink createSink(Destination destination, SinkContext context) {
    return require(destination.config()).create(destination, context);
  }

  /**
   * {@code destination} as this streamer sees it: a config its providers cannot deliver to becomes
   * an {@link UnavailableDestinationConfig} that keeps the stored form; an unavailable one whose kind
   * has a provider now is decoded by that kind. Either way the stored form is unchanged.
   */
  Destination resolve(Destination destination) {
    DestinationConfig config = destination.config();
    DestinationConfig resolved;
    if (!config.destinationKind().available()) {
      resolved = find(config.kind()).isPresent() ? kinds.resolve(config) : config;
    } else if (find(config.kind()).isEmpty()) {
      resolved = new UnavailableDestinationConfig(config.kind(), Optional.of(config.destinationKind().artifact()),
          DestinationConfigs.encode(config));
    } else {
      return destination;
    }
    return resolved == config ? destination : destination.toBuilder().config(resolved).build();
  }

  private static String missingMessage(DestinationConfig config) {
    return "no sink for kind '" + config.kind() + "': add " + config.destinationKind().artifact() + " to the classpath";
  }

  private static Map<String, SinkProvider> byKind(Collection<? extends SinkProvider> providers) {
    Map<String, SinkProvider> byKind = new LinkedHashMap<>();
    providers.stream()
        .sorted(Comparator.comparing(p -> p.getClass().getName()))
        .forEach(p -> {
          String kind = p.kind().toLowerCase(Locale.ROOT);
          SinkProvider first = byKind.putIfAbsent(kind, p);
          if (first != null && first.getClass() != p.getClass()) {
            log.warn("Two sink providers for kind '{}': using {}, ignoring {}",
                kind, first.getClass().getName(), p.getClass().getName());
          }
        });
    return byKind;
  }
}
