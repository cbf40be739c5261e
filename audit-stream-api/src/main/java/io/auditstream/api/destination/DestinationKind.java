package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.SinkContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the engine knows about one kind of destination ({@code http}, {@code gcp}, {@code s3},
 * or a kind a host writes): its config type, how a store keeps it, what makes two destinations of
 * the kind duplicates in a group, its write-only secrets, its save-time rules and where its sink
 * comes from. The engine works through this contract only; it never asks which kind a config is.
 *
 * <p>A kind is found through its config ({@link DestinationConfig#destinationKind()}), its sink
 * provider ({@link io.auditstream.api.sink.SinkProvider#destinationKind()}), and, so that stores
 * can read destinations whose sink is not on the classpath, through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.auditstream.api.destination.DestinationKind}). Two instances of a
 * kind are interchangeable: the engine tells kinds apart by {@link #name()}.
 *
 * <p>Secrets. Write-only secrets ({@link WriteOnlySecret}: a private key, a secret access key) are
 * reached through {@link #writeOnlySecrets} and {@link #withWriteOnlySecrets}; the engine redacts
 * them for listings ({@link #redacted}) and keeps the stored value when an update leaves one
 * absent or redacted ({@link #keepingSecrets}). Owner-readable secrets (an HTTP header's value)
 * need no such care, but {@link #encode} puts them among the secrets too, so that a store can
 * encrypt every secret alike.
 *
 * <p>Implementations are stateless, immutable and thread-safe, with a public no-argument
 * constructor when listed for {@link java.util.ServiceLoader}.
 *
 * @param <C> the kind's config type
 */
public interface DestinationKind<C extends DestinationConfig> {
  /** The kind's name, 1 to 32 lowercase letters, digits or {@code -}, for example {@code http}. */
  String name();

  /** The config type of the kind. */
  Class<C> configType();

  /**
   * The Maven coordinates ({@code groupId:artifactId}) of the artifact that delivers to destinations
   * of the kind, named when its sink is missing, for example {@code io.auditstream:sink-http}.
   */
  String artifact();

  /**
   * The config as a store keeps it: plain settings, and every secret that {@code config} carries
   * under a name of its own. Write-only secrets that are absent or redacted are left out.
   */
  StoredConfig encode(C config);

  /**
   * Reads back what {@link #encode} wrote; a write-only secret missing from {@code stored} is absent.
   *
   * @throws IllegalArgumentException naming a setting that is missing or malformed (never its value)
   * @throws ValidationException when a value breaks the config's rules
   */
  C decode(StoredConfig stored);

  /**
   * The write-only secrets of {@code config}, by the names {@link #encode} stores them under. None by
   * default.
   */
  default Map<String, WriteOnlySecret> writeOnlySecrets(C config) {
    return Map.of();
  }

  /**
   * {@code config} with its write-only secrets replaced by {@code secrets} (the names of {@link
   * #writeOnlySecrets}); names it does not have are ignored. Kinds without write-only secrets
   * return {@code config}.
   */
  default C withWriteOnlySecrets(C config, Map<String, WriteOnlySecret> secrets) {
    return config;
  }

  /**
   * What no two destinations of this kind in one group may share, if anything. None by default: only
   * names are then unique.
   */
  default Optional<UniqueKey> uniqueKey(C config) {
    return Optional.empty();
  }

  /**
   * The rules a config must meet when a destination is saved, beyond those its builder checked
   * (for example that a write-only secret that the builder leaves optional, so that an update may
   * omit it, is present). Records every violation in {@code violations}, each naming its field.
   * Checks that need the network belong to the sink provider's {@code validate}. The default checks
   * nothing.
   */
  default void validate(C config, SinkContext context, ValidationException.Collector violations) {}

  /**
   * {@code config} as this kind's config type.
   *
   * @throws ValidationException on field {@code config} when it is of another kind
   */
  default C cast(DestinationConfig config) {
    if (configType().isInstance(config)) {
      return configType().cast(config);
    }
    throw new ValidationException("config", "config must be a destination config of kind '" + name() + "' (was "
        + (config == null ? "null" : "kind '" + config.kind() + "'") + ")");
  }

  /** {@code config} as a listing shows it: every write-only secret redacted (or left absent). */
  default C redacted(C config) {
    Map<String, WriteOnlySecret> secrets = writeOnlySecrets(config);
    if (secrets.values().stream().noneMatch(WriteOnlySecret::isPresent)) {
      return config;
    }
    Map<String, WriteOnlySecret> masked = new LinkedHashMap<>();
    secrets.forEach((name, secret) -> masked.put(name, secret.redacted()));
    return withWriteOnlySecrets(config, masked);
  }

  /**
   * {@code update} with every write-only secret it leaves absent or redacted taken from {@code stored},
   * the config it replaces; secrets it carries win ({@link WriteOnlySecret#orKeep}).
   */
  default C keepingSecrets(C update, C stored) {
    Map<String, WriteOnlySecret> mine = writeOnlySecrets(update);
    Map<String, WriteOnlySecret> theirs = writeOnlySecrets(stored);
    Map<String, WriteOnlySecret> merged = new LinkedHashMap<>();
    mine.forEach((name, secret) -> merged.put(name, secret.orKeep(theirs.get(name))));
    return merged.equals(mine) ? update : withWriteOnlySecrets(update, merged);
  }

  /** Whether destinations of this kind can be delivered to with what is on the classpath; see {@link UnavailableDestinationConfig}. */
  default boolean available() {
    return true;
  }
}
