package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.SinkContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract of Google Cloud Logging destinations (kind {@value GcpLoggingDestinationConfig#KIND}),
 * delivered by {@code io.auditstream:sink-gcp-logging}. The private key is write-only and required
 * when a destination is saved (unless it is {@code plaintext}); the project and log id together are
 * unique in a group. Stateless.
 */
public final class GcpLoggingDestinationKind implements DestinationKind<GcpLoggingDestinationConfig> {
  private static final String SECRET = "privateKey";

  /** Use {@link GcpLoggingDestinationConfig#DESTINATION_KIND}; public for {@link java.util.ServiceLoader}. */
  public GcpLoggingDestinationKind() {}

  @Override
  public String name() {
    return GcpLoggingDestinationConfig.KIND;
  }

  @Override
  public Class<GcpLoggingDestinationConfig> configType() {
    return GcpLoggingDestinationConfig.class;
  }

  @Override
  public String artifact() {
    return "io.auditstream:sink-gcp-logging";
  }

  @Override
  public StoredConfig encode(GcpLoggingDestinationConfig config) {
    return StoredConfig.builder()
        .setting("googleProjectIdName", config.googleProjectIdName())
        .setting("clientEmail", config.clientEmail())
        .setting("logIdName", config.logIdName())
        .setting("endpoint", config.endpoint().orElse(null))
        .setting("tokenServerUri", config.tokenServerUri().map(Object::toString).orElse(null))
        .setting("plaintext", config.plaintext() ? Boolean.TRUE : null)
        .secret(SECRET, config.privateKey())
        .build();
  }

  @Override
  public GcpLoggingDestinationConfig decode(StoredConfig stored) {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(stored.text("googleProjectIdName"))
        .clientEmail(stored.text("clientEmail"))
        .logIdName(stored.text("logIdName"))
        .privateKey(stored.secret(SECRET).orElse(null))
        .endpoint(stored.optionalText("endpoint").orElse(null))
        .tokenServerUri(stored.optionalText("tokenServerUri").orElse(null))
        .plaintext(stored.bool("plaintext", false))
        .build();
  }

  @Override
  public Map<String, WriteOnlySecret> writeOnlySecrets(GcpLoggingDestinationConfig config) {
    return Map.of(SECRET, config.privateKey());
  }

  @Override
  public GcpLoggingDestinationConfig withWriteOnlySecrets(GcpLoggingDestinationConfig config,
      Map<String, WriteOnlySecret> secrets) {
    WriteOnlySecret secret = secrets.get(SECRET);
    return secret == null ? config : config.toBuilder().privateKey(secret).build();
  }

  /** The project and log: two destinations of a group never write to the same log. */
  @Override
  public Optional<UniqueKey> uniqueKey(GcpLoggingDestinationConfig config) {
    return Optional.of(new UniqueKey("logIdName", List.of(config.googleProjectIdName(), config.logIdName()),
        "logIdName must be unique per googleProjectIdName", "already writes to log " + config.logName()));
  }

  /** A private key must be set, unless the destination is a plaintext local test double. */
  @Override
  public void validate(GcpLoggingDestinationConfig config, SinkContext context,
      ValidationException.Collector violations) {
    violations.check(config.hasPrivateKey() || config.plaintext(), SECRET,
        "privateKey is required: the private_key of the service account's JSON key file");
  }

  @Override
  public String toString() {
    return "DestinationKind{" + name() + "}";
  }
}
