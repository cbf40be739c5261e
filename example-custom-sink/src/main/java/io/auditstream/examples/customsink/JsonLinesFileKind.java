package io.auditstream.examples.customsink;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.StoredConfig;
import io.auditstream.api.destination.UniqueKey;
import io.auditstream.api.destination.WriteOnlySecret;
import io.auditstream.api.sink.SinkContext;
import java.util.Map;
import java.util.Optional;

/**
 * The contract of JSON lines file destinations (kind {@value JsonLinesFileConfig#KIND}), delivered by
 * {@code io.auditstream:audit-stream-example-custom-sink}: what the engine needs to store, list,
 * update and check them. The path is a plain setting and unique in a group; the signing key is
 * write-only, kept apart among the secrets, and required when a destination is saved.
 *
 * <p>Listed in {@code META-INF/services/io.auditstream.api.destination.DestinationKind}, so that a
 * store can read these destinations even where no sink for them is configured. Stateless and
 * thread-safe.
 */
public final class JsonLinesFileKind implements DestinationKind<JsonLinesFileConfig> {
  /** The Maven coordinates of the artifact that delivers to these destinations. */
  public static final String ARTIFACT = "io.auditstream:audit-stream-example-custom-sink";

  private static final String PATH = "path";
  private static final String SIGNING_KEY = "signingKey";

  /** Use {@link JsonLinesFileConfig#DESTINATION_KIND}; public for {@link java.util.ServiceLoader}. */
  public JsonLinesFileKind() {}

  @Override
  public String name() {
    return JsonLinesFileConfig.KIND;
  }

  @Override
  public Class<JsonLinesFileConfig> configType() {
    return JsonLinesFileConfig.class;
  }

  @Override
  public String artifact() {
    return ARTIFACT;
  }

  /** The path as a setting; the signing key, when present, apart among the secrets. */
  @Override
  public StoredConfig encode(JsonLinesFileConfig config) {
    return StoredConfig.builder()
        .setting(PATH, config.path())
        .secret(SIGNING_KEY, config.signingKey())
        .build();
  }

  @Override
  public JsonLinesFileConfig decode(StoredConfig stored) {
    return JsonLinesFileConfig.builder()
        .path(stored.text(PATH))
        .signingKey(stored.secret(SIGNING_KEY).orElse(null))
        .build();
  }

  @Override
  public Map<String, WriteOnlySecret> writeOnlySecrets(JsonLinesFileConfig config) {
    return Map.of(SIGNING_KEY, config.signingKey());
  }

  @Override
  public JsonLinesFileConfig withWriteOnlySecrets(JsonLinesFileConfig config, Map<String, WriteOnlySecret> secrets) {
    WriteOnlySecret key = secrets.get(SIGNING_KEY);
    return key == null ? config : config.toBuilder().signingKey(key).build();
  }

  /**
   * The file, its path normalised ({@code /a/./b} and {@code /a/b} are one file): two destinations of
   * a group appending to one file would interleave their lines.
   */
  @Override
  public Optional<UniqueKey> uniqueKey(JsonLinesFileConfig config) {
    return Optional.of(new UniqueKey(PATH, config.file().normalize().toString(), "path must be unique",
        "already writes to it"));
  }

  /** The signing key must be set. */
  @Override
  public void validate(JsonLinesFileConfig config, SinkContext context, ValidationException.Collector violations) {
    violations.check(config.hasSigningKey(), SIGNING_KEY,
        "signingKey is required: the key that signs each line (" + JsonLinesFileConfig.MIN_SIGNING_KEY_LENGTH
            + " to " + JsonLinesFileConfig.MAX_SIGNING_KEY_LENGTH + " visible ASCII characters)");
  }

  @Override
  public String toString() {
    return "DestinationKind{" + name() + "}";
  }
}
