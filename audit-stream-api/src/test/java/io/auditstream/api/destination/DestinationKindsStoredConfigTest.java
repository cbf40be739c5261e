package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A stored config that breaks a rule its kind added after an earlier version stored it is kept as it
 * was stored, and the broken rule can be asked for; a config that follows the rules decodes as before.
 */
class DestinationKindsStoredConfigTest {
  private static final DestinationKinds KINDS = DestinationKinds.discover();
  private static final Optional<String> HTTP_ARTIFACT = Optional.of("io.auditstream:sink-http");

  private static StoredConfig http(String url, String contentType, String headerValue) {
    return StoredConfig.builder().setting("destinationUrl", url).setting("contentType", contentType)
        .setting("headers", List.of(Map.of("key", "Authorization", "active", true)))
        .secret("headers[0].value", Secret.of(headerValue)).build();
  }

  @Test
  void decodesAConfigThatFollowsTheRulesAsItsKindDoes() {
    DestinationConfig config = KINDS.decode("http", HTTP_ARTIFACT,
        http("https://siem.example.com/in", "application/json", "Bearer t"));

    assertThat(config).isInstanceOf(HttpDestinationConfig.class);
    assertThat(KINDS.brokenRules(config)).isEmpty();
  }

  @Test
  void keepsAConfigWithAHostSpelledAsOneNumberAsStoredAndNamesTheRule() {
    StoredConfig stored = http("https://2130706433/in", "application/json", "Bearer t");

    DestinationConfig config = KINDS.decode("http", HTTP_ARTIFACT, stored);

    assertThat(config).isEqualTo(new UnavailableDestinationConfig("http", HTTP_ARTIFACT, stored));
    assertThat(KINDS.brokenRules(config)).hasValueSatisfying(e -> {
      assertThat(e.field()).isEqualTo("destinationUrl");
      assertThat(e.getMessage()).contains("write it as 127.0.0.1");
    });
  }

  @Test
  void keepsAConfigWithAConnectionLevelHeaderOrAPortOutOfRangeAsStoredAndNamesTheRules() {
    StoredConfig stored = StoredConfig.builder().setting("destinationUrl", "https://siem.example.com:0/in")
        .setting("contentType", "application/json")
        .setting("headers", List.of(Map.of("key", "Keep-Alive", "active", true)))
        .secret("headers[0].value", Secret.of("timeout=5")).build();

    DestinationConfig config = KINDS.decode("http", HTTP_ARTIFACT, stored);

    assertThat(config).isEqualTo(new UnavailableDestinationConfig("http", HTTP_ARTIFACT, stored));
    assertThat(KINDS.brokenRules(config).orElseThrow().violations()).extracting(ValidationException.Violation::field)
        .containsExactlyInAnyOrder("destinationUrl", "headers[0].key");
  }

  @Test
  void namesEveryBrokenRuleWithoutShowingTheHeaderValue() {
    DestinationConfig config = KINDS.decode("http", HTTP_ARTIFACT,
        http("https://siem.example.com/in", "text/plain; charset=\u00e9", "Bearer caf\u00e9"));

    ValidationException rules = KINDS.brokenRules(config).orElseThrow();
    assertThat(rules.violations()).extracting(ValidationException.Violation::field)
        .containsExactlyInAnyOrder("contentType", "headers[0].value");
    assertThat(rules.getMessage()).doesNotContain("caf\u00e9");
  }

  @Test
  void keepsACloudLoggingConfigWhoseEndpointTheKindNowRefuses() {
    StoredConfig stored = StoredConfig.builder().setting("googleProjectIdName", "my-project")
        .setting("clientEmail", "writer@my-project.iam.gserviceaccount.com").setting("logIdName", "audit")
        .setting("endpoint", "logging.example.com").build();

    DestinationConfig config = KINDS.decode("gcp", Optional.empty(), stored);

    assertThat(config).isInstanceOf(UnavailableDestinationConfig.class);
    assertThat(KINDS.brokenRules(config)).hasValueSatisfying(e -> assertThat(e.field()).isEqualTo("endpoint"));
  }

  @Test
  void stillRefusesAConfigItsKindCannotReadAndAsksNothingOfAMissingKindOrAListedCopy() {
    assertThatThrownBy(() -> KINDS.decode("http", HTTP_ARTIFACT, StoredConfig.builder().build()))
        .isInstanceOf(IllegalArgumentException.class);
    UnavailableDestinationConfig missing = new UnavailableDestinationConfig("absent", Optional.empty(),
        StoredConfig.builder().setting("x", "y").build());
    assertThat(KINDS.brokenRules(missing)).isEmpty();
    UnavailableDestinationConfig kept = (UnavailableDestinationConfig) KINDS.decode("http", HTTP_ARTIFACT,
        http("https://2130706433/in", "application/json", "Bearer t"));
    UnavailableDestinationConfig listed = new UnavailableDestinationConfig("http", HTTP_ARTIFACT,
        StoredConfig.builder().setting("destinationUrl", "https://2130706433/in").build(),
        kept.stored().secrets().keySet());
    assertThat(KINDS.brokenRules(listed)).isEmpty();
  }
}
