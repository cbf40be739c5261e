package io.auditstream.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.Secret;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.secrets.SecretsCipher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationStoreSecretsTest {
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\n"
      + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
  private static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String HEADER_VALUE = "Bearer header-secret-value+/=?&";
  private static final String[] SECRETS = {PEM, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
      SECRET_ACCESS_KEY, HEADER_VALUE, "token-secret-http-1", "token-secret-gcp-1", "token-secret-s3-1"};
  private static final SecretKeys K1 = keys("k1", 1);
  private static final SecretKeys K2 = keys("k2", 2);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("destinations.json");
  }

  private static SecretKeys keys(String id, int b) {
    byte[] key = new byte[SecretKeys.KEY_BYTES];
    Arrays.fill(key, (byte) b);
    return SecretKeys.of(id, key);
  }

  private static Destination destination(String id, DestinationConfig config, String createdAt) {
    return Destination.builder().id(DestinationId.of(id)).groupPath("acme").name("Destination " + id)
        .verificationToken(Secret.of("token-secret-" + id)).config(config).createdAt(Instant.parse(createdAt)).build();
  }

  private static List<Destination> all() {
    return List.of(
        destination("http-1", HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/audit")
            .contentType("application/json").header("Authorization", HEADER_VALUE).build(), "2026-01-01T00:00:00Z"),
        destination("gcp-1", GcpLoggingDestinationConfig.builder().googleProjectIdName("my-project")
            .clientEmail("writer@my-project.iam.gserviceaccount.com").privateKey(PEM).logIdName("audit").build(),
            "2026-01-02T00:00:00Z"),
        destination("s3-1", S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
            .secretAccessKey(SECRET_ACCESS_KEY).bucketName("acme-audit").awsRegion("eu-central-1").build(),
            "2026-01-03T00:00:00Z"));
  }

  private FileDestinationStore open(SecretKeys keys) {
    return FileDestinationStore.builder(file()).secretKeys(keys).open();
  }

  private static void assertNoSecretIn(String text) {
    for (String secret : SECRETS) {
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      assertThat(text).doesNotContain(secret, secret.replace("\n", "\\n"),
          Base64.getEncoder().withoutPadding().encodeToString(bytes),
          Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
          URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }
  }

  private List<String> storedSecrets() throws Exception {
    return MAPPER.readTree(file().toFile()).get("destinations").findValuesAsText("secrets");
  }

  @Test
  void keepsNoSecretInAnyFormInTheFileAndReadsEveryOneBack() throws Exception {
    try (FileDestinationStore store = open(K1)) {
      all().forEach(store::save);
    }

    assertNoSecretIn(Files.readString(file()));
    assertThat(storedSecrets()).hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k1:"));
    assertThat(open(K1).findAll()).containsExactlyElementsOf(all());
  }

  @Test
  void generatesAnOwnerOnlyKeyFileBesideTheFileAndReusesIt() throws Exception {
    Path keyFile = dir.resolve("destinations.json.key");
    try (FileDestinationStore store = FileDestinationStore.open(file())) {
      all().forEach(store::save);
    }
    String key = Files.readString(keyFile);

    assertThat(FileDestinationStore.open(file()).findAll()).containsExactlyElementsOf(all());
    assertThat(Files.readString(keyFile)).isEqualTo(key);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }
    String keyId = SecretKeys.parse(key).currentKeyId();
    assertThat(storedSecrets()).allSatisfy(s -> assertThat(s).startsWith("v1:" + keyId + ":"));
  }

  @Test
  void writesNoKeyFileWhenTheHostGivesKeys() {
    open(K1).save(all().get(0));

    assertThat(dir.resolve("destinations.json.key")).doesNotExist();
  }

  @Test
  void encryptsTheSecretsOfAFileOfFormatVersion2WhenItOpensIt() throws Exception {
    // A file as version 2 wrote it: each destination's secrets a plain object.
    DestinationJson json = new DestinationJson(DestinationKinds.discover(), SecretsCipher.of(K2));
    ObjectNode root = MAPPER.createObjectNode().put("formatVersion", 2);
    ArrayNode list = root.putArray("destinations");
    for (Destination d : all()) {
      ObjectNode node = json.write(d);
      node.set("secrets", MAPPER.readTree(SecretsCipher.of(K2).decrypt(d.id(), node.get("secrets").asText())));
      list.add(node);
    }
    Files.writeString(file(), MAPPER.writeValueAsString(root));
    assertThat(Files.readString(file())).as("plain before").contains(SECRET_ACCESS_KEY);

    assertThat(open(K1).findAll()).containsExactlyElementsOf(all());

    assertNoSecretIn(Files.readString(file()));
    assertThat(MAPPER.readTree(file().toFile()).get("formatVersion").asInt()).isEqualTo(3);
    assertThat(storedSecrets()).hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k1:"));
  }

  @Test
  void refusesAFileWhoseSecretsWereAlteredNamingTheDestinationAndTheKey() throws Exception {
    open(K1).save(all().get(0));
    String sealed = storedSecrets().get(0);
    int at = sealed.length() - 8;
    String altered = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
    Files.writeString(file(), Files.readString(file()).replace(sealed, altered));

    assertThatThrownBy(() -> open(K1)).isInstanceOf(AuditStreamException.class)
        .hasMessageContaining("destination http-1").hasMessageContaining("'k1'").hasMessageContaining("altered")
        .satisfies(e -> assertNoSecretIn(e.getMessage()));
  }

  @Test
  void refusesAFileUnderAKeyItWasNotGivenNamingTheKeyId() {
    open(K1).save(all().get(1));

    assertThatThrownBy(() -> open(K2)).isInstanceOf(AuditStreamException.class)
        .hasMessageContaining("destination gcp-1").hasMessageContaining("key 'k1'")
        .satisfies(e -> assertNoSecretIn(e.getMessage()));
  }

  @Test
  void rotationRewritesEveryDestinationUnderTheCurrentKeyAndOldOnesLoadUntilThen() throws Exception {
    try (FileDestinationStore store = open(K1)) {
      all().forEach(store::save);
    }

    try (FileDestinationStore store = open(K2.withOlder(K1))) {
      assertThat(store.findAll()).as("under the older key").containsExactlyElementsOf(all());
      assertThat(storedSecrets()).allSatisfy(s -> assertThat(s).startsWith("v1:k1:"));
      assertThat(store.reencryptSecrets()).isEqualTo(3);
    }

    assertThat(storedSecrets()).hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k2:"));
    assertNoSecretIn(Files.readString(file()));
    assertThat(open(K2).findAll()).containsExactlyElementsOf(all());
  }
}
