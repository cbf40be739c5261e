package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSigningTest {
  /** The signing secret of the Standard Webhooks specification's test vector: 24 bytes. */
  static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OTHER_SECRET = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);

  private static String secretOf(int bytes) {
    return "whsec_" + Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  @Test
  void isOffByDefaultOnADestination() {
    Destination d = Destination.builder().id(DestinationId.of("d1")).groupPath("acme").name("n")
        .verificationToken(Secret.of("abcdefghijklmnop")).config(HttpDestinationConfig.of("https://a.example.com"))
        .createdAt(Instant.EPOCH).build();

    assertThat(d.signing()).isEqualTo(WebhookSigning.off());
    assertThat(d.signing().enabled()).isFalse();
    assertThat(d.signing().secrets()).isEmpty();
  }

  @Test
  void acceptsSecretsOf24To64BytesWithOrWithoutPadding() {
    assertThat(WebhookSigning.with(Secret.of(SPEC_SECRET)).secrets()).containsExactly(Secret.of(SPEC_SECRET));
    assertThat(WebhookSigning.with(Secret.of(secretOf(64))).enabled()).isTrue();
    String unpadded = "whsec_" + Base64.getEncoder().withoutPadding().encodeToString(new byte[40]);
    assertThat(WebhookSigning.with(Secret.of(unpadded)).enabled()).isTrue();
  }

  @Test
  void refusesABadSecretNamingTheFieldAndTheRuleButNeverTheSecret() {
    assertRefused("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with whsec_");
    assertRefused("whsec_not base64 at all!!", "base64");
    assertRefused(secretOf(23), "24 to 64 random bytes (was 23 bytes)");
    assertRefused(secretOf(65), "24 to 64 random bytes (was 65 bytes)");
    assertRefused("whsec_", "(was 0 bytes)");
  }

  private static void assertRefused(String secret, String rule) {
    String key = secret.startsWith("whsec_") ? secret.substring(6) : secret;
    assertThatThrownBy(() -> WebhookSigning.with(Secret.of(secret)))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("signingSecret"))
        .hasMessageContaining(rule)
        .satisfies(e -> {
          if (!key.isEmpty()) {
            assertThat(e.getMessage()).doesNotContain(key);
          }
        });
  }

  @Test
  void rotationSignsWithTheNewSecretFirstThenThePreviousUntilItEnds() {
    WebhookSigning on = WebhookSigning.with(Secret.of(SPEC_SECRET));

    WebhookSigning rotating = on.rotatedTo(Secret.of(OTHER_SECRET));

    assertThat(rotating.rotating()).isTrue();
    assertThat(rotating.secrets()).containsExactly(Secret.of(OTHER_SECRET), Secret.of(SPEC_SECRET));
    WebhookSigning ended = rotating.rotationEnded();
    assertThat(ended.rotating()).isFalse();
    assertThat(ended.secrets()).containsExactly(Secret.of(OTHER_SECRET));
  }

  @Test
  void aRotationDuringAnotherDropsTheOldestSecret() {
    String third = secretOf(48);
    WebhookSigning twice = WebhookSigning.with(Secret.of(SPEC_SECRET)).rotatedTo(Secret.of(OTHER_SECRET))
        .rotatedTo(Secret.of(third));

    assertThat(twice.secrets()).containsExactly(Secret.of(third), Secret.of(OTHER_SECRET));
  }

  @Test
  void refusesToRotateWhenOffOrToTheCurrentSecret() {
    assertThatThrownBy(() -> WebhookSigning.off().rotatedTo(Secret.of(SPEC_SECRET)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("signing is off");
    assertThatThrownBy(() -> WebhookSigning.with(Secret.of(SPEC_SECRET)).rotatedTo(Secret.of(SPEC_SECRET)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("must differ");
  }

  @Test
  void aListingKeepsTheStateAndRedactsEverySecret() {
    WebhookSigning rotating = WebhookSigning.of(Secret.of(OTHER_SECRET), Secret.of(SPEC_SECRET));

    WebhookSigning listed = rotating.redacted();

    assertThat(listed.enabled()).isTrue();
    assertThat(listed.rotating()).isTrue();
    assertThat(listed.current().isRedacted()).isTrue();
    assertThat(listed.previous().isRedacted()).isTrue();
    assertThatThrownBy(listed::secrets).isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(SPEC_SECRET.substring(6));
    assertThat(WebhookSigning.off().redacted()).isEqualTo(WebhookSigning.off());
  }

  @Test
  void neverShowsASecretInToString() {
    WebhookSigning rotating = WebhookSigning.of(Secret.of(OTHER_SECRET), Secret.of(SPEC_SECRET));
    Destination d = Destination.builder().id(DestinationId.of("d1")).groupPath("acme").name("n")
        .verificationToken(Secret.of("abcdefghijklmnop")).config(HttpDestinationConfig.of("https://a.example.com"))
        .createdAt(Instant.EPOCH).signing(rotating).build();

    assertThat(rotating).hasToString("rotating");
    assertThat(d.toString()).contains("signing=rotating").doesNotContain(SPEC_SECRET.substring(6))
        .doesNotContain(OTHER_SECRET.substring(6));
    assertThat(d.redacted().signing()).isEqualTo(rotating.redacted());
    assertThat(d.redacted().toString()).contains("signing=rotating");
  }

  @Test
  void aDraftTakesAValidSigningSecretAndRefusesABadOne() {
    DestinationDraft draft = DestinationDraft.http("https://a.example.com").signingSecret(SPEC_SECRET).build();

    assertThat(draft.signingSecret()).contains(Secret.of(SPEC_SECRET));
    assertThat(draft.toString()).contains("signing=on").doesNotContain(SPEC_SECRET.substring(6));
    assertThatThrownBy(() -> DestinationDraft.http("https://a.example.com").signingSecret("whsec_short").build())
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("signingSecret"))
        .hasMessageNotContaining("short");
  }
}
