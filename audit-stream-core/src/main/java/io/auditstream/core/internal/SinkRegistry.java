package io.auditstream.core.internal;

import io.auditstream.api.MissingSinkException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink providers, by kind: found through {@link ServiceLoader} or given explicitly. Two
 * providers for one kind: the one whose class name sorts first wins, and a warning names both.
 * Immutable and thread-safe.
 */
public final class SinkRegistry {
  private static final Logger log = LoggerFactory.getLogger(SinkRegistry.class);

  /** The artifacts that provide the kinds audit-stream itself ships, for the missing-sink message. */
  private static final Map<String, String> KNOWN_ARTIFACTS =
      Map.of(
          "http", "io.auditstream:sink-http",
          "gcp", "io.auditstream:sink-gcp-logging",
          "s3", "io.auditstream:sink-aws-s3",
          "test", "io.auditstream:audit-stream-testing");

  private final Map<String, SinkProvider> byKind;

  private SinkRegistry(Map<String, SinkProvider> byKind) {
    this.byKind = Map.copyOf(byKind);
  }

  /** The providers that {@code classLoader} can see through {@link ServiceLoader}. */
  public static SinkRegistry discover(ClassLoader classLoader) {
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
    return of(found);
  }

  /** Exactly these providers. */
  public static SinkRegistry of(Collection<? extends SinkProvider> providers) {
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
    return new SinkRegistry(byKind);
  }

  /** This registry with {@code providers} added, each replacing any other provider of its kind. */
  public SinkRegistry withOverrides(Collection<? extends SinkProvider> providers) {
    if (providers.isEmpty()) {
      return this;
    }
    Map<String, SinkProvider> merged = new LinkedHashMap<>(byKind);
    providers.forEach(p -> merged.put(p.kind().toLowerCase(Locale.ROOT), p));
    return new SinkRegistry(merged);
  }

  /** The provider of {@code kind}, if one is present. */
  public Optional<SinkProvider> find(String kind) {
    return Optional.ofNullable(byKind.get(kind.toLowerCase(Locale.ROOT)));
  }

  /**
   * The provider of {@code kind}.
   *
   * @throws MissingSinkException naming the artifact to add
   */
  public SinkProvider require(String kind) {
    return find(kind).orElseThrow(() -> new MissingSinkException(kind, missingMessage(kind)));
  }

  /** The kinds that have a provider. */
  public java.util.Set<String> kinds() {
    return byKind.keySet();
  }

  private static String missingMessage(String kind) {
    String artifact = KNOWN_ARTIFACTS.get(kind);
    return artifact != null
        ? "no sink for kind '" + kind + "': add " + artifact + " to the classpath"
        : "no sink for kind '" + kind + "': add the artifact that provides it (a SinkProvider listed in "
            + "META-INF/services/" + SinkProvider.class.getName() + ")";
  }
}
