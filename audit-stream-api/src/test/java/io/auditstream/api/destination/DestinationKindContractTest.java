package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What every built-in kind promises through the contract the engine relies on. */
class DestinationKindContractTest {
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

  static Stream<DestinationConfig> configs() {
    return Stream.of(
        HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/in?key=k").contentType("application/json")
            .header("Authorization", "Bearer header-secret").header("X-Off", "off", false).build(),
        HttpDestinationConfig.builder().destinationUrl("https://batch.example.com/in")
            .header("Authorization", "Bearer header-secret")
            .batching(new HttpBatching(500, 2L * 1024 * 1024, java.time.Duration.ofMillis(5))).build(),
        GcpLoggingDestinationConfig.builder().googleProjectIdName("my-project")
            .clientEmail("w@my-project.iam.gserviceaccount.com").privateKey(PEM).logIdName("a/b")
            .endpoint("[::1]:8443").tokenServerUri("https://oauth.example.com/token").build(),
        S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE").secretAccessKey("wJalrXUtnFEMI/K7MDENG")
            .bucketName("acme-audit").awsRegion("eu-central-1").endpoint("http://minio.example.com:9000")
            .pathStyleAccess(true).build());
  }

  @ParameterizedTest
  @MethodSource("configs")
  void storedFormRoundTripsEveryFieldAndKeepsSecretsOutOfTheSettings(DestinationConfig config) {
    StoredConfig stored = DestinationConfigs.encode(config);

    assertThat(config.destinationKind().decode(stored)).isEqualTo(config);
    assertThat(stored.settings().toString()).doesNotContain("header-secret").doesNotContain("PRIVATE KEY")
        .doesNotContain("wJalrXUtnFEMI");
    assertThat(stored.secrets()).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("configs")
  void aListedCopyEditedAndMergedKeepsTheStoredSecrets(DestinationConfig config) {
    DestinationConfig listed = DestinationConfigs.redacted(config);

    assertThat(DestinationConfigs.writeOnlySecrets(listed).values()).noneMatch(WriteOnlySecret::isPresent);
    assertThat(DestinationConfigs.keepingSecrets(listed, config)).isEqualTo(config);
    assertThat(listed.toString()).doesNotContain("header-secret").doesNotContain("PRIVATE KEY")
        .doesNotContain("wJalrXUtnFEMI");
  }

  @ParameterizedTest
  @MethodSource("configs")
  void namesItsArtifactAndIsFoundThroughServiceLoader(DestinationConfig config) {
    DestinationKind<?> kind = config.destinationKind();

    assertThat(kind.artifact()).startsWith("io.auditstream:sink-");
    assertThat(DestinationKinds.discover().find(kind.name())).hasValueSatisfying(
        found -> assertThat(found.configType()).isEqualTo(kind.configType()));
    assertThat(DestinationConfigs.uniqueKey(config)).isPresent();
  }

  @Test
  void castRefusesAConfigOfAnotherKindOnFieldConfig() {
    assertThatThrownBy(() -> S3DestinationConfig.DESTINATION_KIND.cast(HttpDestinationConfig.of("https://a.example.com")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"))
        .hasMessageContaining("'s3'").hasMessageContaining("'http'");
  }

  @Test
  void anUnknownKindIsReadAsUnavailableAndKeptAsStored() {
    StoredConfig stored = StoredConfig.builder().setting("endpoint", "q1")
        .secret("apiKey", io.auditstream.api.Secret.of("plugin-key")).build();

    DestinationConfig c = DestinationKinds.discover().decode("webhook-x", Optional.of("com.example:webhook-x"), stored);

    assertThat(c).isInstanceOfSatisfying(UnavailableDestinationConfig.class, u -> {
      assertThat(u.destinationKind().available()).isFalse();
      assertThat(u.destinationKind().artifact()).isEqualTo("com.example:webhook-x");
      assertThat(DestinationConfigs.encode(u)).isEqualTo(stored);
      assertThat(u.missingMessage()).isEqualTo("no sink for kind 'webhook-x': add com.example:webhook-x to the classpath");
      assertThat(u.toString()).doesNotContain("plugin-key");
      DestinationConfig listed = DestinationConfigs.redacted(u);
      assertThat(DestinationConfigs.encode(listed).secrets()).isEmpty();
      assertThat(((UnavailableDestinationConfig) listed).redactedSecrets()).containsExactly("apiKey");
      assertThat(listed.toString()).doesNotContain("plugin-key");
    });
  }

  @Test
  void headerViolationsNameTheirPlaceAlsoWhenTheConfigIsBuiltOutsideTheEngine() {
    assertThatThrownBy(() -> HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .header("X-A", "ok").header("X-B", "ok").header("X-C", "line\nbreak").header("bad key", "v").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("headers[2].value", "headers[3].key"))
        .hasMessageContaining("headers[2].value must not contain line breaks");
  }

  @Test
  void aDraftReportsABadUrlAndATooLongNameTogether() {
    assertThatThrownBy(() -> DestinationDraft.http("ftp://a.example.com").name("n".repeat(73)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactlyInAnyOrder("destinationUrl", "name"));
    assertThatThrownBy(() -> DestinationDraft.builder(HttpDestinationConfig.builder().destinationUrl("https://a.example.com")
        .header("Authorization", " padded")).verificationToken("short").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field)
            .containsExactlyInAnyOrder("headers[0].value", "verificationToken"));
  }

  @Test
  void anUpdateShowsItsUrlAsTheConfigDoesWithoutPathOrQuery() {
    DestinationUpdate u = DestinationUpdate.builder().name("n")
        .config(HttpDestinationConfig.builder().destinationUrl("https://siem.example.com/hooks/s3cr3t?key=k3y")
            .header("Authorization", "Bearer header-secret"))
        .build();

    assertThat(u.toString()).contains("https://siem.example.com/...").doesNotContain("s3cr3t")
        .doesNotContain("k3y").doesNotContain("header-secret");
  }

  @Test
  void builtInKindsAreListedOnceEach() {
    assertThat(DestinationKinds.discover().names()).contains("gcp", "http", "s3");
    assertThat(List.of(HttpDestinationConfig.DESTINATION_KIND, GcpLoggingDestinationConfig.DESTINATION_KIND,
        S3DestinationConfig.DESTINATION_KIND)).extracting(DestinationKind::name).containsExactly("http", "gcp", "s3");
  }
}
