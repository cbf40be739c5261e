package io.auditstream.api.destination;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The config of a stored destination whose kind is not on the classpath (its module was removed, or
 * not added yet): kept exactly as it was stored, so that nothing is lost or rewritten, and saved
 * back unchanged. Such a destination is listed, can be renamed, paused and deleted, but receives
 * nothing, and its config cannot be changed, until the artifact {@link #artifact()} names is added.
 *
 * <p>A stored config whose kind is on the classpath but that breaks a rule the kind added after an
 * earlier version stored it is kept this way too ({@link DestinationKinds#decode}, {@link
 * DestinationKinds#brokenRules}): listed, renamed, paused and deleted like the others, it receives
 * nothing until an Owner gives it a config that follows the rules, which may replace it.
 *
 * <p>Which of its secrets are write-only is the missing kind's knowledge, so every one of them is
 * treated as write-only: a listing carries none of them ({@link #redactedSecrets()} names them).
 *
 * <p>Immutable and thread-safe. {@link #toString()} names the settings and secrets, never their
 * values.
 *
 * @param kindName the kind's name as stored
 * @param artifact the artifact that provides the kind, as the kind named it when the destination was
 *     saved; empty when the store did not record it
 * @param stored the config as it was stored (on a listed copy: without its secrets)
 * @param redactedSecrets the names of the secrets a listed copy leaves out; empty otherwise
 */
public record UnavailableDestinationConfig(String kindName, Optional<String> artifact, StoredConfig stored,
    Set<String> redactedSecrets) implements DestinationConfig {
  /**
   * Creates the config; every component is required.
   *
   * @throws NullPointerException when one is null
   */
  public UnavailableDestinationConfig {
    Objects.requireNonNull(kindName, "kindName");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(stored, "stored");
    redactedSecrets = Collections.unmodifiableSet(new TreeSet<>(redactedSecrets));
  }

  /** The config as it was stored, secrets included. */
  public UnavailableDestinationConfig(String kindName, Optional<String> artifact, StoredConfig stored) {
    this(kindName, artifact, stored, Set.of());
  }

  @Override
  public DestinationKind<UnavailableDestinationConfig> destinationKind() {
    return new Kind(kindName, artifact);
  }

  /** What to add to deliver to this destination, for messages. */
  public String missingMessage() {
    return "no sink for kind '" + kindName + "': add " + artifact.orElse("the artifact that provides it")
        + " to the classpath";
  }

  @Override
  public String toString() {
    return "UnavailableDestinationConfig{kind=" + kindName + ", artifact=" + artifact.orElse("unknown")
        + ", settings=" + stored.settings().keySet() + ", secrets=" + stored.secrets().keySet()
        + (redactedSecrets.isEmpty() ? "" : ", redacted=" + redactedSecrets) + "}";
  }

  /** The stand-in contract of a kind that is not on the classpath: it keeps the stored form as it is. */
  private record Kind(String name, Optional<String> knownArtifact)
      implements DestinationKind<UnavailableDestinationConfig> {
    @Override
    public Class<UnavailableDestinationConfig> configType() {
      return UnavailableDestinationConfig.class;
    }

    @Override
    public String artifact() {
      return knownArtifact.orElse("the artifact that provides kind '" + name + "'");
    }

    @Override
    public StoredConfig encode(UnavailableDestinationConfig config) {
      return config.stored();
    }

    @Override
    public UnavailableDestinationConfig decode(StoredConfig stored) {
      return new UnavailableDestinationConfig(name, knownArtifact, stored);
    }

    /** Every stored secret, as write-only: the kind that could tell them apart is missing. */
    @Override
    public Map<String, WriteOnlySecret> writeOnlySecrets(UnavailableDestinationConfig config) {
      Map<String, WriteOnlySecret> secrets = new TreeMap<>();
      config.redactedSecrets().forEach(name -> secrets.put(name, WriteOnlySecret.redactedValue()));
      config.stored().secrets().forEach((name, value) -> secrets.put(name, WriteOnlySecret.of(value)));
      return secrets;
    }

    @Override
    public UnavailableDestinationConfig withWriteOnlySecrets(UnavailableDestinationConfig config,
        Map<String, WriteOnlySecret> secrets) {
      StoredConfig.Builder b = StoredConfig.builder();
      config.stored().settings().forEach(b::setting);
      Set<String> redacted = new TreeSet<>();
      secrets.forEach((name, secret) -> {
        b.secret(name, secret);
        if (secret.isRedacted()) {
          redacted.add(name);
        }
      });
      return new UnavailableDestinationConfig(config.kindName(), config.artifact(), b.build(), redacted);
    }

    @Override
    public boolean available() {
      return false;
    }
  }
}
