package io.auditstream.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.S3DestinationConfig;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationStoreS3Test {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static final DestinationJson JSON = new DestinationJson(DestinationKinds.discover(),
      io.auditstream.core.secrets.SecretsCipher.of(StoredSecrets.KEYS));

  @TempDir Path dir;

  private static Destination s3(String id, S3DestinationConfig config) {
    return Destination.builder()
        .id(DestinationId.of(id))
        .groupPath("acme")
        .name("Bucket " + id)
        .verificationToken(Secret.of("token-abcdefgh-" + id))
        .config(config)
        .createdAt(Instant.parse("2026-04-05T06:07:08.009Z"))
        .build();
  }

  @Test
  void roundTripsEveryS3FieldAcrossReopen() {
    Destination minio = s3("a", S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey(SECRET).bucketName("acme-audit").awsRegion("eu-central-1")
        .endpoint("http://minio.example.com:9000").pathStyleAccess(true).build());
    Destination aws = s3("b", S3DestinationConfig.builder().accessKeyXid("AKIAI44QH8DHBEXAMPLE")
        .secretAccessKey("another-secret-access-key").bucketName("acme-audit-2").awsRegion("us-gov-west-1").build());
    Path file = dir.resolve("destinations.json");
    try (FileDestinationStore store = FileDestinationStore.open(file)) {
      store.save(minio);
      store.save(aws);
    }

    try (FileDestinationStore reopened = FileDestinationStore.open(file)) {
      assertThat(reopened.find(minio.id())).hasValueSatisfying(d -> {
        assertThat(d).isEqualTo(minio);
        S3DestinationConfig c = (S3DestinationConfig) d.config();
        assertThat(c.secretAccessKey().value()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(SECRET));
        assertThat(c.endpoint()).contains("http://minio.example.com:9000");
        assertThat(c.pathStyleAccess()).isTrue();
      });
      assertThat(reopened.find(aws.id())).hasValueSatisfying(d -> {
        assertThat(d).isEqualTo(aws);
        S3DestinationConfig c = (S3DestinationConfig) d.config();
        assertThat(c.endpoint()).isEmpty();
        assertThat(c.pathStyleAccess()).isFalse();
        assertThat(c.awsRegion()).isEqualTo("us-gov-west-1");
      });
    }
  }

  @Test
  void writesKindS3WithTheSecretApartFromThePlainSettings() throws Exception {
    Destination d = s3("a", S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey(SECRET).bucketName("acme-audit").awsRegion("eu-central-1").build());

    JsonNode json = JSON.write(d);
    JsonNode config = json.get("config");

    assertThat(json.get("kind").asText()).isEqualTo("s3");
    assertThat(json.get("artifact").asText()).isEqualTo("io.auditstream:sink-aws-s3");
    assertThat(config.get("bucketName").asText()).isEqualTo("acme-audit");
    assertThat(json.get("secrets").asText()).doesNotContain(SECRET).startsWith("v1:test-1:");
    assertThat(StoredSecrets.open(json, StoredSecrets.KEYS).get("config").get("secretAccessKey").asText())
        .isEqualTo(SECRET);
    assertThat(config.has("endpoint")).isFalse();
    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(JSON.read(new ObjectMapper().readTree(JSON.write(d).toString()), false)).isEqualTo(d);
  }
}
