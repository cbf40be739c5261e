package io.auditstream.api.destination;

import io.auditstream.api.sink.SinkProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The destination kinds a store or an engine knows, by name: what turns a stored config back into
 * its typed form ({@link #decode}). A kind it does not know is read as an {@link
 * UnavailableDestinationConfig}, kept intact.
 *
 * <p>Immutable and thread-safe.
 */
public final class DestinationKinds {
  // System.Logger: the api depends on the JDK alone; SLF4J 2 serves it through slf4j-jdk-platform-logging.
  private static final System.Logger log = System.getLogger(DestinationKinds.class.getName());

  private final Map<String, DestinationKind<?>> byName;

  private DestinationKinds(Map<String, DestinationKind<?>> byName) {
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  /**
   * The kinds that {@code classLoader} can see through {@link ServiceLoader}: those listed as {@link
   * DestinationKind} services (the built-in ones among them) and those of the listed {@link
   * SinkProvider}s. A plug-in that cannot be loaded is skipped with a warning.
   */
  public static DestinationKinds discover(ClassLoader classLoader) {
    List<DestinationKind<?>> found = new ArrayList<>();
    for (SinkProvider provider : load(SinkProvider.class, classLoader)) {
      found.add(provider.destinationKind());
    }
    return listed(classLoader).with(found);
  }

  /**
   * The kinds listed as {@link DestinationKind} services that {@code classLoader} can see (the
   * built-in ones among them), without instantiating any sink provider: for an engine that brings
   * its providers' kinds itself.
   */
  public static DestinationKinds listed(ClassLoader classLoader) {
    List<DestinationKind<?>> found = new ArrayList<>();
    for (DestinationKind<?> kind : load(DestinationKind.class, classLoader)) {
      found.add(kind);
    }
    return of(found);
  }

  /** The kinds this library's own class loader can see; see {@link #discover(ClassLoader)}. */
  public static DestinationKinds discover() {
    return discover(DestinationKinds.class.getClassLoader());
  }

  /** Exactly these kinds; of two with one name, the later one wins. */
  public static DestinationKinds of(Collection<? extends DestinationKind<?>> kinds) {
    Map<String, DestinationKind<?>> byName = new LinkedHashMap<>();
    kinds.forEach(k -> byName.put(k.name().toLowerCase(Locale.ROOT), k));
    return new DestinationKinds(byName);
  }

  /** These kinds and {@code more}; one of {@code more} replaces a kind of the same name. */
  public DestinationKinds with(Collection<? extends DestinationKind<?>> more) {
    Map<String, DestinationKind<?>> merged = new LinkedHashMap<>(byName);
    more.forEach(k -> merged.put(k.name().toLowerCase(Locale.ROOT), k));
    return new DestinationKinds(merged);
  }

  /** The kind named {@code name}, if known. */
  public Optional<DestinationKind<?>> find(String name) {
    return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The names of the known kinds, sorted. */
  public Set<String> names() {
    return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
  }

  /**
   * The config a store kept for kind {@code kindName}: decoded by that kind when it is known, else
   * an {@link UnavailableDestinationConfig} holding {@code stored} as it is.
   *
   * <p>A config that an earlier version stored may break a rule its kind added since (a header value
   * or content type with other characters than visible ASCII, a host spelled as a number other than
   * dotted-decimal IPv4): such a config is kept as an {@link UnavailableDestinationConfig} too, exactly as
   * stored, so that the destination is still listed, renamed, paused, deleted and given a new config,
   * and is never lost; {@link #brokenRules} tells which rule it breaks.
   *
   * @param artifact the artifact the kind named when the config was stored, if recorded
   * @throws IllegalArgumentException when a known kind cannot read it (a setting missing or malformed)
   */
  public DestinationConfig decode(String kindName, Optional<String> artifact, StoredConfig stored) {
    DestinationKind<?> kind = byName.get(kindName.toLowerCase(Locale.ROOT));
    if (kind == null || !kind.available()) {
      return new UnavailableDestinationConfig(kindName, artifact, stored);
    }
    try {
      return kind.decode(stored);
    } catch (io.auditstream.api.ValidationException e) {
      // Accepted by the version that stored it: kept as it is, not refused (see brokenRules).
      return new UnavailableDestinationConfig(kindName, artifact, stored);
    }
  }

  /**
   * Why a stored config whose kind is known here was kept as an {@link UnavailableDestinationConfig}:
   * the rules of its kind that it breaks (stored by an earlier version under looser rules), as the
   * kind's {@link io.auditstream.api.ValidationException} names them, each by field and rule, never
   * showing a secret. Empty for any other config, and for a listed copy whose secrets were left out.
   */
  public Optional<io.auditstream.api.ValidationException> brokenRules(DestinationConfig config) {
    if (!(config instanceof UnavailableDestinationConfig u) || !u.redactedSecrets().isEmpty()) {
      return Optional.empty();
    }
    DestinationKind<?> kind = byName.get(u.kindName().toLowerCase(Locale.ROOT));
    if (kind == null || !kind.available()) {
      return Optional.empty();
    }
    try {
      kind.decode(u.stored());
      return Optional.empty();
    } catch (io.auditstream.api.ValidationException e) {
      return Optional.of(e);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code config} decoded by its now-known kind when it is an {@link UnavailableDestinationConfig} of
   * a kind these kinds know; otherwise {@code config} itself.
   */
  public DestinationConfig resolve(DestinationConfig config) {
    if (config instanceof UnavailableDestinationConfig u) {
      return decode(u.kindName(), u.artifact(), u.stored());
    }
    return config;
  }

  @Override
  public String toString() {
    return "DestinationKinds" + names();
  }

  private static <T> List<T> load(Class<T> type, ClassLoader classLoader) {
    List<T> found = new ArrayList<>();
    var it = ServiceLoader.load(type, classLoader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return found;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        // One broken plug-in must not hide the others, nor stop the host.
        log.log(System.Logger.Level.WARNING, "Ignoring a " + type.getSimpleName() + " that could not be loaded: " + e.getMessage());
      }
    }
  }
}
