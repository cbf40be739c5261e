package io.auditstream.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationStoreGcpTest {
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

  private static final DestinationJson JSON = new DestinationJson(DestinationKinds.discover(),
      io.auditstream.core.secrets.SecretsCipher.of(StoredSecrets.KEYS));

  @TempDir Path dir;

  private static Destination gcp(String id, GcpLoggingDestinationConfig config) {
    return Destination.builder()
        .id(DestinationId.of(id))
        .groupPath("acme")
        .name("Cloud " + id)
        .verificationToken(Secret.of("token-abcdefgh-" + id))
        .config(config)
        .createdAt(Instant.parse("2026-03-01T00:00:00Z"))
        .build();
  }

  private static GcpLoggingDestinationConfig.Builder config() {
    return GcpLoggingDestinationConfig.builder().googleProjectIdName("my-project")
        .clientEmail("writer@my-project.iam.gserviceaccount.com").privateKey(PEM);
  }

  @Test
  void writesKindGcpWithEveryFieldAndThePrivateKeyApart() {
    ObjectNode json = JSON.write(gcp("a", config().logIdName("audit/x").endpoint("[::1]:8443")
        .tokenServerUri("https://oauth.example.com/token").build()));

    ObjectNode config = (ObjectNode) json.get("config");
    JsonNode secrets = StoredSecrets.open(json, StoredSecrets.KEYS).get("config");
    assertThat(json.get("kind").asText()).isEqualTo("gcp");
    assertThat(json.get("artifact").asText()).isEqualTo("io.auditstream:sink-gcp-logging");
    assertThat(config.get("googleProjectIdName").asText()).isEqualTo("my-project");
    assertThat(config.get("logIdName").asText()).isEqualTo("audit/x");
    assertThat(secrets.get("privateKey").asText()).isEqualTo(PEM);
    assertThat(config.get("endpoint").asText()).isEqualTo("[::1]:8443");
    assertThat(config.has("plaintext")).isFalse();
  }

  @Test
  void roundTripsEveryFieldAcrossReopen() {
    Destination full = gcp("a", config().logIdName("audit/x").endpoint("logging.example.com:443")
        .tokenServerUri("https://oauth.example.com/token").build());
    Destination plain = gcp("b", config().googleProjectIdName("local-project").endpoint("127.0.0.1:8085")
        .plaintext(true).build());
    try (FileDestinationStore store = FileDestinationStore.open(dir.resolve("d.json"))) {
      store.save(full);
      store.save(plain);
    }

    try (FileDestinationStore reopened = FileDestinationStore.open(dir.resolve("d.json"))) {
      assertThat(reopened.find(full.id())).hasValueSatisfying(d -> {
        assertThat(d).isEqualTo(full);
        assertThat(((GcpLoggingDestinationConfig) d.config()).privateKey().value()).contains(Secret.of(PEM));
      });
      assertThat(reopened.find(plain.id())).hasValueSatisfying(d -> {
        assertThat(d).isEqualTo(plain);
        assertThat(((GcpLoggingDestinationConfig) d.config()).plaintext()).isTrue();
      });
    }
  }
}
