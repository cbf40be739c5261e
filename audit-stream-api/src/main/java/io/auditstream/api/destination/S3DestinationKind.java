package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.SinkContext;
import java.util.Map;
import java.util.Optional;

/**
 * The contract of AWS S3 destinations (kind {@value S3DestinationConfig#KIND}), delivered by {@code
 * io.auditstream:sink-aws-s3}. The secret access key is write-only and required when a destination
 * is saved; the bucket is unique in a group. Stateless.
 */
public final class S3DestinationKind implements DestinationKind<S3DestinationConfig> {
  private static final String SECRET = "secretAccessKey";

  /** Use {@link S3DestinationConfig#DESTINATION_KIND}; public for {@link java.util.ServiceLoader}. */
  public S3DestinationKind() {}

  @Override
  public String name() {
    return S3DestinationConfig.KIND;
  }

  @Override
  public Class<S3DestinationConfig> configType() {
    return S3DestinationConfig.class;
  }

  @Override
  public String artifact() {
    return "io.auditstream:sink-aws-s3";
  }

  @Override
  public StoredConfig encode(S3DestinationConfig config) {
    return StoredConfig.builder()
        .setting("accessKeyXid", config.accessKeyXid())
        .setting("bucketName", config.bucketName())
        .setting("awsRegion", config.awsRegion())
        .setting("endpoint", config.endpoint().orElse(null))
        .setting("pathStyleAccess", config.pathStyleAccess())
        .secret(SECRET, config.secretAccessKey())
        .build();
  }

  @Override
  public S3DestinationConfig decode(StoredConfig stored) {
    return S3DestinationConfig.builder()
        .accessKeyXid(stored.text("accessKeyXid"))
        .secretAccessKey(stored.secret(SECRET).orElse(null))
        .bucketName(stored.text("bucketName"))
        .awsRegion(stored.text("awsRegion"))
        .endpoint(stored.optionalText("endpoint").orElse(null))
        .pathStyleAccess(stored.bool("pathStyleAccess", false))
        .build();
  }

  @Override
  public Map<String, WriteOnlySecret> writeOnlySecrets(S3DestinationConfig config) {
    return Map.of(SECRET, config.secretAccessKey());
  }

  @Override
  public S3DestinationConfig withWriteOnlySecrets(S3DestinationConfig config, Map<String, WriteOnlySecret> secrets) {
    WriteOnlySecret secret = secrets.get(SECRET);
    return secret == null ? config : config.toBuilder().secretAccessKey(secret).build();
  }

  /** The bucket: two destinations of a group never write to the same one. */
  @Override
  public Optional<UniqueKey> uniqueKey(S3DestinationConfig config) {
    return Optional.of(new UniqueKey("bucketName", config.bucketName(), "bucketName must be unique",
        "already writes to bucket " + config.bucketName()));
  }

  /** The secret access key must be set. */
  @Override
  public void validate(S3DestinationConfig config, SinkContext context, ValidationException.Collector violations) {
    violations.check(config.hasSecretAccessKey(), SECRET, "secretAccessKey is required");
  }

  @Override
  public String toString() {
    return "DestinationKind{" + name() + "}";
  }
}
