package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.S3DestinationConfig;

/**
 * Stores an {@link S3DestinationConfig}: access key ID, bucket, region, endpoint override and
 * path-style flag, and the secret access key in plain text (as {@link CustomConfigCodec} stores
 * secrets), so the store file must stay readable by the host only.
 */
final class S3ConfigCodec implements ConfigCodec {
  @Override
  public String type() {
    return "s3";
  }

  @Override
  public boolean handles(DestinationConfig config) {
    return config instanceof S3DestinationConfig;
  }

  @Override
  public void write(DestinationConfig config, ObjectNode out) {
    S3DestinationConfig s3 = (S3DestinationConfig) config;
    out.put("accessKeyXid", s3.accessKeyXid());
    s3.secretAccessKey().ifPresent(secret -> out.putObject("secrets").put("secretAccessKey", secret.reveal()));
    out.put("bucketName", s3.bucketName());
    out.put("awsRegion", s3.awsRegion());
    s3.endpoint().ifPresent(endpoint -> out.put("endpoint", endpoint));
    out.put("pathStyleAccess", s3.pathStyleAccess());
  }

  @Override
  public DestinationConfig read(JsonNode in) {
    return S3DestinationConfig.builder()
        .accessKeyXid(ConfigCodec.text(in, "accessKeyXid"))
        .secretAccessKey(ConfigCodec.optionalText(in.path("secrets"), "secretAccessKey"))
        .bucketName(ConfigCodec.text(in, "bucketName"))
        .awsRegion(ConfigCodec.text(in, "awsRegion"))
        .endpoint(ConfigCodec.optionalText(in, "endpoint"))
        .pathStyleAccess(ConfigCodec.bool(in, "pathStyleAccess", false))
        .build();
  }
}
