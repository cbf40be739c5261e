package io.auditstream.jdbc;

import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.destination.WebhookSigning;
import java.time.Instant;
import java.util.List;

/** Destinations of every built-in kind with every secret set, and those secrets, for the tests of secrets at rest. */
final class SecretDestinations {
  static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
      + "-----END PRIVATE KEY-----\n";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final String HEADER_VALUE = "Bearer header-secret-value+/=?&";
  static final String TOKEN_PREFIX = "token-secret-";
  /** The signing secrets of {@link #http()}, in the middle of a rotation: both are kept. */
  static final String SIGNING_KEY = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String PREVIOUS_SIGNING_KEY = "3q2+78r+ur7erb7v3q2+78r+ur7erb7v";

  private SecretDestinations() {}

  /** Every secret value that {@link #all()} holds. */
  static String[] secrets() {
    return new String[] {PEM, SECRET_ACCESS_KEY, HEADER_VALUE, token("http-1"), token("gcp-1"), token("s3-1"),
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7", SIGNING_KEY, PREVIOUS_SIGNING_KEY};
  }

  static String token(String id) {
    return TOKEN_PREFIX + id;
  }

  static List<Destination> all() {
    return List.of(http(), gcp(), s3());
  }

  static Destination http() {
    return destination("http-1", HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/audit")
        .contentType("application/json").header("Authorization", HEADER_VALUE).build(), "2026-01-01T00:00:00Z")
        .toBuilder()
        .signing(WebhookSigning.with(Secret.of("whsec_" + PREVIOUS_SIGNING_KEY))
            .rotatedTo(Secret.of("whsec_" + SIGNING_KEY)))
        .build();
  }

  static Destination gcp() {
    return destination("gcp-1", GcpLoggingDestinationConfig.builder().googleProjectIdName("my-project")
        .clientEmail("writer@my-project.iam.gserviceaccount.com").privateKey(PEM).logIdName("audit").build(),
        "2026-01-02T00:00:00Z");
  }

  static Destination s3() {
    return destination("s3-1", S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey(SECRET_ACCESS_KEY).bucketName("acme-audit").awsRegion("eu-central-1").build(),
        "2026-01-03T00:00:00Z");
  }

  private static Destination destination(String id, DestinationConfig config, String createdAt) {
    return Destination.builder()
        .id(DestinationId.of(id))
        .groupPath("acme")
        .name("Destination " + id)
        .verificationToken(Secret.of(token(id)))
        .config(config)
        .createdAt(Instant.parse(createdAt))
        .build();
  }
}
