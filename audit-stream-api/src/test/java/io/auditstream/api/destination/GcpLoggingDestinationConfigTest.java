package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GcpLoggingDestinationConfigTest {
  private static final String KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretkeymaterial";
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\n" + KEY_BODY + "\n-----END PRIVATE KEY-----\n";

  private static GcpLoggingDestinationConfig.Builder valid() {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName("my-project-1")
        .clientEmail("writer@my-project-1.iam.gserviceaccount.com")
        .privateKey(PEM);
  }

  private static void rejects(GcpLoggingDestinationConfig.Builder b, String field, String messagePart) {
    assertThatThrownBy(b::build)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .anySatisfy(v -> {
              assertThat(v.field()).isEqualTo(field);
              assertThat(v.message()).startsWith(field).contains(messagePart);
            }));
  }

  @Test
  void buildsWithDefaultLogIdAndLogName() {
    GcpLoggingDestinationConfig c = valid().build();

    assertThat(c.kind()).isEqualTo("gcp");
    assertThat(c.logIdName()).isEqualTo("audit-events");
    assertThat(c.logName()).isEqualTo("projects/my-project-1/logs/audit-events");
    assertThat(c.hasPrivateKey()).isTrue();
    assertThat(c.privateKey().value()).contains(Secret.of(PEM));
    assertThat(c.endpoint()).isEmpty();
    assertThat(c.tokenServerUri()).isEmpty();
    assertThat(c.plaintext()).isFalse();
  }

  @Test
  void logNameEncodesSlashesOfTheLogId() {
    assertThat(valid().logIdName("audit/gitlab.events").build().logName())
        .isEqualTo("projects/my-project-1/logs/audit%2Fgitlab.events");
  }

  @Test
  void projectIdMustBe6To30LowercaseLettersDigitsAndDashes() {
    rejects(valid().googleProjectIdName(null), "googleProjectIdName", "is required");
    rejects(valid().googleProjectIdName("abcde"), "googleProjectIdName", "6 to 30 characters (was 5)");
    rejects(valid().googleProjectIdName("a".repeat(31)), "googleProjectIdName", "6 to 30 characters (was 31)");
    rejects(valid().googleProjectIdName("1project"), "googleProjectIdName", "start with a lowercase letter");
    rejects(valid().googleProjectIdName("project-"), "googleProjectIdName", "not end with '-'");
    rejects(valid().googleProjectIdName("My-Project"), "googleProjectIdName", "lowercase");
    rejects(valid().googleProjectIdName("my_project"), "googleProjectIdName", "(was 'my_project')");
    assertThat(valid().googleProjectIdName("abcdef").build().googleProjectIdName()).isEqualTo("abcdef");
    assertThat(valid().googleProjectIdName("a" + "-9".repeat(14) + "z").build().googleProjectIdName()).hasSize(30);
  }

  @Test
  void clientEmailMustBeAnEmailOfAtMost254Characters() {
    rejects(valid().clientEmail(null), "clientEmail", "is required");
    rejects(valid().clientEmail("writer"), "clientEmail", "must be an email address");
    rejects(valid().clientEmail("writer@localhost"), "clientEmail", "must be an email address");
    rejects(valid().clientEmail("a b@example.com"), "clientEmail", "must be an email address");
    rejects(valid().clientEmail("a".repeat(243) + "@example.com"), "clientEmail", "at most 254 characters (was 255)");
    assertThat(valid().clientEmail("a".repeat(242) + "@example.com").build().clientEmail()).hasSize(254);
  }

  @Test
  void logIdMustMatchTheAllowedCharactersAndBeAtMost511() {
    rejects(valid().logIdName(""), "logIdName", "must not be empty");
    rejects(valid().logIdName("audit events"), "logIdName", "only letters, digits");
    rejects(valid().logIdName("audit:events"), "logIdName", "(was 'audit:events')");
    rejects(valid().logIdName("a".repeat(512)), "logIdName", "at most 511 characters (was 512)");
    assertThat(valid().logIdName("a".repeat(511)).build().logIdName()).hasSize(511);
    assertThat(valid().logIdName("my_log/v1.2-x").build().logIdName()).isEqualTo("my_log/v1.2-x");
    assertThat(valid().logIdName(null).build().logIdName()).isEqualTo("audit-events");
  }

  @Test
  void privateKeyMustLookLikeAPemBlockAndIsNeverEchoed() {
    String notPem = "MIIEvQIBADANBgkqhkiG9w0B-not-a-pem";

    assertThatThrownBy(() -> valid().privateKey(notPem).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("privateKey"))
        .hasMessageContaining("privateKey must be a PEM block")
        .hasMessageNotContaining(notPem);
  }

  @Test
  void privateKeyIsOptionalInTheBuilder() {
    GcpLoggingDestinationConfig c = valid().privateKey((Secret) null).build();

    assertThat(c.privateKey().value()).isEmpty();
    assertThat(c.hasPrivateKey()).isFalse();
    assertThat(c.toString()).contains("privateKey=not set");
  }

  @Test
  void endpointMustBeHostAndPort() {
    rejects(valid().endpoint("logging.example.com"), "endpoint", "must be host:port");
    rejects(valid().endpoint("https://logging.example.com:443"), "endpoint", "must be host:port");
    rejects(valid().endpoint("::1:443"), "endpoint", "IPv6 address in brackets");
    rejects(valid().endpoint("[:::::]:443"), "endpoint", "valid IPv6 address in its brackets");
    rejects(valid().endpoint("[1.2.3.4]:443"), "endpoint", "valid IPv6 address in its brackets");
    rejects(valid().endpoint("logging.example.com:0"), "endpoint", "port must be 1 to 65535 (was 0)");
    rejects(valid().endpoint("logging.example.com:70000"), "endpoint", "port must be 1 to 65535 (was 70000)");
    GcpLoggingDestinationConfig c = valid().endpoint("logging.example.com:443").build();
    assertThat(c.endpoint()).contains("logging.example.com:443");
    assertThat(c.endpointHost()).contains("logging.example.com");
    assertThat(valid().endpoint("[::1]:8443").build().endpointHost()).contains("::1");
    assertThat(valid().endpoint("127.0.0.1:9999").build().endpointHost()).contains("127.0.0.1");
  }

  @Test
  void tokenServerUriMustBeHttpOrHttpsWithAHostAndNoUserInfo() {
    rejects(valid().tokenServerUri("ftp://oauth.example.com/token"), "tokenServerUri", "http or https");
    rejects(valid().tokenServerUri("/token"), "tokenServerUri", "http or https");
    rejects(valid().tokenServerUri("https:///token"), "tokenServerUri", "must name a host");
    rejects(valid().tokenServerUri("https://user:pw@oauth.example.com/token"), "tokenServerUri", "user info");
    rejects(valid().tokenServerUri("https://oauth.example.com/a b"), "tokenServerUri", "valid URL");
    rejects(valid().tokenServerUri("https://oauth.example.com:0/token"), "tokenServerUri", "port must be 1 to 65535");
    rejects(valid().tokenServerUri("https://oauth.example.com:70000/token"), "tokenServerUri",
        "port must be 1 to 65535");
    assertThat(valid().tokenServerUri("https://oauth.example.com/token").build().tokenServerUri())
        .contains(URI.create("https://oauth.example.com/token"));
  }

  @Test
  void plaintextNeedsAnEndpoint() {
    rejects(valid().plaintext(true), "plaintext", "needs an endpoint");
    assertThat(valid().plaintext(true).endpoint("127.0.0.1:8085").build().plaintext()).isTrue();
  }

  @Test
  void reportsEveryViolationAtOnce() {
    assertThatThrownBy(() -> GcpLoggingDestinationConfig.builder().googleProjectIdName("X").clientEmail("no")
        .logIdName("a b").endpoint("x").plaintext(false).tokenServerUri("ftp://x").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field)
            .containsExactly("googleProjectIdName", "clientEmail", "logIdName", "endpoint", "tokenServerUri"));
  }

  @Test
  void toStringAndRedactedCopyNeverShowThePrivateKey() {
    GcpLoggingDestinationConfig c = valid().endpoint("logging.example.com:443").build();

    GcpLoggingDestinationConfig redacted = GcpLoggingDestinationConfig.DESTINATION_KIND.redacted(c);

    assertThat(c.toString()).contains("privateKey=set", "my-project-1", "logging.example.com:443")
        .doesNotContain(KEY_BODY);
    assertThat(redacted.privateKey().value()).isEmpty();
    assertThat(redacted.hasPrivateKey()).isTrue();
    assertThat(redacted.toString()).contains("privateKey=set").doesNotContain(KEY_BODY);
    assertThat(redacted.googleProjectIdName()).isEqualTo(c.googleProjectIdName());
    assertThat(redacted.endpoint()).isEqualTo(c.endpoint());
    assertThat(redacted).isNotEqualTo(c);
    // Editing a listing's redacted copy keeps saying a key is set.
    assertThat(redacted.toBuilder().logIdName("other").build().hasPrivateKey()).isTrue();
  }

  @Test
  void keepingSecretsTakesThePreviousKeyOnlyWhenThisHasNone() {
    GcpLoggingDestinationConfig previous = valid().build();
    String otherPem = PEM.replace("secretkeymaterial", "anotherkeymaterial");
    DestinationKind<GcpLoggingDestinationConfig> kind = GcpLoggingDestinationConfig.DESTINATION_KIND;

    GcpLoggingDestinationConfig kept = kind.keepingSecrets(valid().privateKey((Secret) null).logIdName("renamed").build(),
        previous);
    GcpLoggingDestinationConfig replaced = kind.keepingSecrets(valid().privateKey(otherPem).build(), previous);
    GcpLoggingDestinationConfig fromRedacted = kind.keepingSecrets(
        kind.redacted(previous).toBuilder().logIdName("x").build(), previous);

    assertThat(kept.privateKey().value()).contains(Secret.of(PEM));
    assertThat(kept.logIdName()).isEqualTo("renamed");
    assertThat(replaced.privateKey().value()).contains(Secret.of(otherPem));
    assertThat(fromRedacted.privateKey().value()).contains(Secret.of(PEM));
    assertThatThrownBy(() -> DestinationConfigs.keepingSecrets(valid().privateKey((Secret) null).build(),
        HttpDestinationConfig.of("https://a.example.com"))).isInstanceOf(ValidationException.class);
  }

  @Test
  void equalityIncludesEveryFieldAndTheKey() {
    GcpLoggingDestinationConfig c = valid().build();

    assertThat(c).isEqualTo(valid().build()).hasSameHashCodeAs(valid().build());
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c).isNotEqualTo(valid().privateKey(PEM.replace("secret", "s3cret")).build());
    assertThat(c).isNotEqualTo(valid().logIdName("other").build());
    assertThat(c).isNotEqualTo(valid().endpoint("a.example.com:443").build());
    assertThat(c).isNotEqualTo(valid().tokenServerUri("https://a.example.com/t").build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433:443", "0x7f000001:443", "012.0.0.1:443"})
  void refusesAnEndpointThatSpellsAnIpv4AddressAsANumber(String endpoint) {
    rejects(valid().endpoint(endpoint), "endpoint", "in a form that clients and proxies read differently; write it as");
  }
}
