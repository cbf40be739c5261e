package io.auditstream.api.destination;

import static io.auditstream.api.ValidationOutcome.acceptedOrRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.GeneratedText;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Every generated signing secret is either accepted, and then signs unchanged, or refused with a {@link
 * ValidationException} naming {@value WebhookSigning#FIELD}, whichever way it is given: a new signing,
 * a rotation, a stored pair, a draft. Accepted or refused, the secret shows in no message and no {@code
 * toString()}.
 */
class WebhookSigningPropertyTest {
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final Secret CURRENT = Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  /** Shorter text could occur in a message by chance (a rule, a count), so only longer text must not. */
  private static final int SHOWN_FROM_LENGTH = 12;

  @Provide
  Arbitrary<String> secrets() {
    // Key sizes spread evenly, bounds included: sized by jqwik's default, most keys would be too short.
    Arbitrary<byte[]> keys = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 70).withDistribution(RandomDistribution.uniform()),
        Arbitraries.of(23, 24, 64, 65))
        .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
    Arbitrary<String> wellFormed = Arbitraries.oneOf(
        keys.map(k -> WebhookSigning.SECRET_PREFIX + Base64.getEncoder().encodeToString(k)),
        keys.map(k -> WebhookSigning.SECRET_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(k)));
    Arbitrary<String> hostile = Arbitraries.oneOf(
        // Other alphabets and line breaks, which the standard decoder refuses.
        keys.map(k -> WebhookSigning.SECRET_PREFIX + Base64.getUrlEncoder().encodeToString(k)),
        keys.map(k -> WebhookSigning.SECRET_PREFIX
            + Base64.getMimeEncoder(8, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(k)),
        GeneratedText.after(WebhookSigning.SECRET_PREFIX, BASE64 + "=", 100),
        GeneratedText.near(BASE64 + "_=", 100),
        Arbitraries.of("whsec_", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw==",
            "whsec_=MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjU\u0000PD8ILPZIo2LaLaSw"),
        GeneratedText.after(WebhookSigning.SECRET_PREFIX, BASE64, 20_000));
    return Arbitraries.frequencyOf(Tuple.of(3, wellFormed), Tuple.of(2, hostile));
  }

  /** Whether {@code secret} follows the rule as the specification states it, decoded independently. */
  private static boolean followsTheRule(String secret) {
    if (!secret.startsWith(WebhookSigning.SECRET_PREFIX)) {
      return false;
    }
    String key = secret.substring(WebhookSigning.SECRET_PREFIX.length());
    if (!key.matches("[A-Za-z0-9+/]*={0,2}")) {
      return false;
    }
    try {
      int bytes = Base64.getDecoder().decode(key).length;
      return bytes >= WebhookSigning.MIN_KEY_BYTES && bytes <= WebhookSigning.MAX_KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * {@code build} succeeds exactly when {@code acceptable}, is refused otherwise naming the field, and no
   * message shows any of {@code secrets}.
   */
  private static <T> void checked(List<String> secrets, boolean acceptable, Supplier<T> build, Consumer<T> ifAccepted) {
    boolean accepted = false;
    try {
      build.get();
      accepted = true;
    } catch (ValidationException e) {
      for (String secret : secrets) {
        assertNotShown(secret, e.getMessage());
        e.violations().forEach(v -> assertNotShown(secret, v.message()));
      }
    } catch (RuntimeException e) {
      // acceptedOrRefused below reports it with the input.
    }
    acceptedOrRefused(WebhookSigning.FIELD, build, ifAccepted);
    assertThat(accepted).as("accepted (the rule says %s)", acceptable).isEqualTo(acceptable);
  }

  private static void assertNotShown(String secret, String text) {
    if (secret == null) {
      return;
    }
    String key = secret.startsWith(WebhookSigning.SECRET_PREFIX)
        ? secret.substring(WebhookSigning.SECRET_PREFIX.length()) : secret;
    if (key.length() >= SHOWN_FROM_LENGTH) {
      assertThat(text).doesNotContain(key);
    }
  }

  private static Destination destination(WebhookSigning signing) {
    return Destination.builder().id(DestinationId.of("d1")).groupPath("acme").name("Audit receiver")
        .verificationToken(Secret.of("0123456789abcdefXYZ")).config(HttpDestinationConfig.of("https://r.example.com/e"))
        .createdAt(Instant.parse("2026-11-25T19:30:00Z")).signing(signing).build();
  }

  @Property
  void aSecretIsAcceptedToSignAloneOrRefusedNamingTheFieldWithoutShowingIt(@ForAll("secrets") String secret) {
    checked(List.of(secret), followsTheRule(secret), () -> WebhookSigning.with(Secret.of(secret)), signing -> {
      assertThat(signing.secrets()).containsExactly(Secret.of(secret));
      assertThat(signing.current().get().reveal()).isEqualTo(secret);
      assertThat(signing).hasToString("on");
      assertNotShown(secret, destination(signing).toString());
      assertNotShown(secret, destination(signing).redacted().toString());
    });
  }

  @Property
  void aSecretIsAcceptedToRotateToOrRefusedNamingTheFieldWithoutShowingIt(@ForAll("secrets") String next) {
    // Rotating to the current secret would change nothing: refused although it follows the rule.
    boolean acceptable = followsTheRule(next) && !CURRENT.matches(next);
    checked(List.of(next), acceptable, () -> WebhookSigning.with(CURRENT).rotatedTo(Secret.of(next)), rotating -> {
      assertThat(rotating.secrets()).containsExactly(Secret.of(next), CURRENT);
      assertThat(rotating).hasToString("rotating");
      assertThat(rotating.rotationEnded().secrets()).containsExactly(Secret.of(next));
      assertNotShown(next, destination(rotating).toString());
    });
  }

  @Property
  void aStoredPairOrASecretAloneIsAcceptedUnchangedOrRefusedNamingTheField(@ForAll("secrets") String current,
      @ForAll("orNone") String previous) {
    boolean acceptable = followsTheRule(current) && (previous == null || followsTheRule(previous));
    checked(Arrays.asList(current, previous), acceptable,
        () -> WebhookSigning.of(Secret.of(current), previous == null ? null : Secret.of(previous)), signing -> {
          if (previous == null) {
            assertThat(signing.secrets()).containsExactly(Secret.of(current));
          } else {
            assertThat(signing.secrets()).containsExactly(Secret.of(current), Secret.of(previous));
          }
          assertThat(signing.redacted().rotating()).isEqualTo(previous != null);
        });
  }

  @Provide
  Arbitrary<String> orNone() {
    return Arbitraries.oneOf(secrets(), Arbitraries.just(null));
  }

  @Property
  void aDraftTakesASecretOrNoneOrRefusesItNamingTheFieldWithoutShowingIt(@ForAll("orNone") String secret) {
    Supplier<DestinationDraft> build = () -> DestinationDraft.http("https://receiver.example.com/events")
        .signingSecret(secret).build();
    if (secret == null) {
      assertThat(build.get().signingSecret()).isEmpty();
      return;
    }
    checked(List.of(secret), followsTheRule(secret), build, draft -> {
      assertThat(draft.signingSecret()).contains(Secret.of(secret));
      assertThat(draft.toString()).contains("signing=on");
      assertNotShown(secret, draft.toString());
    });
  }
}
