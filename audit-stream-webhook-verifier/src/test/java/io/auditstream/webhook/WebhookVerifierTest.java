package io.auditstream.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The verifier against the Standard Webhooks specification's published test vector, and what it refuses. */
class WebhookVerifierTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final String TIMESTAMP = "1614265330";
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  /** Another secret of 24 bytes. */
  private static final String OTHER = "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB";
  private static final Clock AT_VECTOR = Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC);

  private static WebhookVerifier.Builder verifier() {
    return WebhookVerifier.builder().clock(AT_VECTOR);
  }

  @Test
  void acceptsTheSpecificationsTestVector() throws Exception {
    verifier().secret(SECRET).build().verify(ID, TIMESTAMP, SIGNATURE, BODY);
  }

  @Test
  void acceptsTheSecretWithoutItsPrefix() throws Exception {
    verifier().secret(SECRET.substring("whsec_".length())).build().verify(ID, TIMESTAMP, SIGNATURE, BODY);
  }

  @Test
  void looksTheHeadersUpByName() throws Exception {
    Map<String, String> headers = Map.of("webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature",
        SIGNATURE);

    verifier().secret(SECRET).build().verify(headers::get, BODY);
  }

  @Test
  void acceptsWhenAnyEntryMatchesUnderAnySecret() throws Exception {
    WebhookVerifier both = verifier().secret(OTHER).secret(SECRET).build();

    both.verify(ID, TIMESTAMP, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,whatever " + SIGNATURE, BODY);
    both.verify(ID, TIMESTAMP, SIGNATURE + " v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", BODY);
  }

  @Test
  void refusesAnotherSecretAChangedBodyIdOrTimestamp() {
    assertFails(() -> verifier().secret(OTHER).build().verify(ID, TIMESTAMP, SIGNATURE, BODY),
        Reason.NO_MATCHING_SIGNATURE);
    WebhookVerifier v = verifier().secret(SECRET).build();
    assertFails(() -> v.verify(ID, TIMESTAMP, SIGNATURE, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8)),
        Reason.NO_MATCHING_SIGNATURE);
    assertFails(() -> v.verify("msg_other", TIMESTAMP, SIGNATURE, BODY), Reason.NO_MATCHING_SIGNATURE);
    assertFails(() -> v.verify(ID, "1614265331", SIGNATURE, BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void refusesASignatureHeaderWithoutAV1EntryOrWithMalformedOnes() {
    WebhookVerifier v = verifier().secret(SECRET).build();

    assertFails(() -> v.verify(ID, TIMESTAMP, SIGNATURE.replace("v1,", "v2,"), BODY), Reason.NO_MATCHING_SIGNATURE);
    assertFails(() -> v.verify(ID, TIMESTAMP, "v1,not-base64!", BODY), Reason.NO_MATCHING_SIGNATURE);
    assertFails(() -> v.verify(ID, TIMESTAMP, SIGNATURE.substring(3), BODY), Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void refusesAMissingHeaderNamingIt() {
    WebhookVerifier v = verifier().secret(SECRET).build();

    assertThatThrownBy(() -> v.verify(null, TIMESTAMP, SIGNATURE, BODY)).hasMessageContaining("webhook-id");
    assertThatThrownBy(() -> v.verify(ID, " ", SIGNATURE, BODY)).hasMessageContaining("webhook-timestamp");
    assertThatThrownBy(() -> v.verify(ID, TIMESTAMP, null, BODY)).hasMessageContaining("webhook-signature");
    assertFails(() -> v.verify(Map.<String, String>of()::get, BODY), Reason.MISSING_HEADER);
  }

  @Test
  void refusesATimestampThatIsNotWholeSeconds() {
    WebhookVerifier v = verifier().secret(SECRET).build();

    for (String bad : new String[] {"abc", "-1614265330", "1614265330.5", "1e9", "99999999999999999999"}) {
      assertFails(() -> v.verify(ID, bad, SIGNATURE, BODY), Reason.BAD_TIMESTAMP);
    }
  }

  @Test
  void refusesTimestampsOutsideTheDefaultToleranceOfFiveMinutes() throws Exception {
    Instant vector = Instant.ofEpochSecond(1614265330);
    WebhookVerifier later = WebhookVerifier.builder().secret(SECRET)
        .clock(Clock.fixed(vector.plusSeconds(301), ZoneOffset.UTC)).build();
    WebhookVerifier earlier = WebhookVerifier.builder().secret(SECRET)
        .clock(Clock.fixed(vector.minusSeconds(301), ZoneOffset.UTC)).build();

    assertFails(() -> later.verify(ID, TIMESTAMP, SIGNATURE, BODY), Reason.TIMESTAMP_TOO_OLD);
    assertFails(() -> earlier.verify(ID, TIMESTAMP, SIGNATURE, BODY), Reason.TIMESTAMP_TOO_NEW);
    WebhookVerifier.builder().secret(SECRET).clock(Clock.fixed(vector.plusSeconds(300), ZoneOffset.UTC)).build()
        .verify(ID, TIMESTAMP, SIGNATURE, BODY);
    WebhookVerifier.builder().secret(SECRET).clock(Clock.fixed(vector.minusSeconds(300), ZoneOffset.UTC)).build()
        .verify(ID, TIMESTAMP, SIGNATURE, BODY);
  }

  @Test
  void takesAnotherTolerance() throws Exception {
    Clock later = Clock.fixed(Instant.ofEpochSecond(1614265330 + 3600), ZoneOffset.UTC);

    WebhookVerifier.builder().secret(SECRET).clock(later).tolerance(Duration.ofHours(1)).build()
        .verify(ID, TIMESTAMP, SIGNATURE, BODY);
    assertFails(() -> WebhookVerifier.builder().secret(SECRET).clock(later).tolerance(Duration.ofMinutes(59)).build()
        .verify(ID, TIMESTAMP, SIGNATURE, BODY), Reason.TIMESTAMP_TOO_OLD);
    assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesABadSecretOrNoneWithoutShowingIt() {
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("whsec_not*base64*secret"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not*base64*secret");
    assertThatThrownBy(() -> WebhookVerifier.builder().secret("whsec_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookVerifier.builder().build()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void neverShowsTheSecretInMessagesOrToString() {
    WebhookVerifier v = verifier().secret(SECRET).build();
    String key = SECRET.substring("whsec_".length());

    assertThat(v.toString()).doesNotContain(key).contains("secrets=1");
    assertThatThrownBy(() -> v.verify(ID, TIMESTAMP, "v1,AAAA", BODY)).message().doesNotContain(key);
  }

  private static void assertFails(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOf(WebhookVerificationException.class)
        .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(reason));
  }
}
