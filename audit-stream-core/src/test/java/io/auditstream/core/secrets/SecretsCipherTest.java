package io.auditstream.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.SecretKeys;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretsCipherTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final DestinationId B = DestinationId.of("dest-b");
  private static final String PLAIN = "{\"verificationToken\":\"token-secret-abcdef\",\"config\":{}}";

  private static SecretKeys keys(String id, int b) {
    byte[] key = new byte[SecretKeys.KEY_BYTES];
    Arrays.fill(key, (byte) b);
    return SecretKeys.of(id, key);
  }

  private final SecretsCipher k1 = SecretsCipher.of(keys("k1", 1));

  @Test
  void sealsInTheSelfDescribingFormWithAFreshNonceEachTimeAndOpensItAgain() {
    String once = k1.encrypt(A, PLAIN);
    String twice = k1.encrypt(A, PLAIN);

    assertThat(once).startsWith("v1:k1:").doesNotContain("token-secret");
    assertThat(twice).isNotEqualTo(once);
    byte[] body = Base64.getDecoder().decode(once.substring("v1:k1:".length()));
    assertThat(body).as("nonce, ciphertext, tag").hasSize(12 + PLAIN.length() + 16);
    assertThat(k1.decrypt(A, once)).isEqualTo(PLAIN);
    assertThat(k1.decrypt(A, twice)).isEqualTo(PLAIN);
    assertThat(SecretsCipher.keyIdOf(once)).contains("k1");
  }

  @Test
  void refusesAValueAlteredSealedForAnotherDestinationOrRelabelledNamingTheDestinationAndKey() {
    String sealed = k1.encrypt(A, PLAIN);
    byte[] body = Base64.getDecoder().decode(sealed.substring(6));
    body[20] ^= 1;
    String altered = "v1:k1:" + Base64.getEncoder().encodeToString(body);

    assertThatThrownBy(() -> k1.decrypt(A, altered)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the secrets of destination dest-a fail authentication under key 'k1': they were altered,"
            + " or sealed for another destination or with another key of that id");
    assertThatThrownBy(() -> k1.decrypt(B, sealed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("destination dest-b").hasMessageContaining("'k1'");
    SecretsCipher both = SecretsCipher.of(keys("k1", 1).withOlder(keys("k0", 1)));
    assertThatThrownBy(() -> both.decrypt(A, sealed.replace("v1:k1:", "v1:k0:")))
        .as("the key id is authenticated too").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAValueUnderAKeyItWasNotGivenAndPlainValues() {
    String sealed = SecretsCipher.of(keys("old", 9)).encrypt(A, PLAIN);

    assertThatThrownBy(() -> k1.decrypt(A, sealed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the secrets of destination dest-a are encrypted with key 'old', which is not among the keys"
            + " given (k1)");
    assertThatThrownBy(() -> k1.decrypt(A, PLAIN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("are not encrypted").hasMessageNotContaining("token-secret");
    assertThatThrownBy(() -> k1.decrypt(A, "v1:k1:AAAA")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void decryptsWithAnOlderKeyAndSaysWhatARotationMustRewrite() {
    String underOld = SecretsCipher.of(keys("k1", 1)).encrypt(A, PLAIN);
    SecretsCipher rotated = SecretsCipher.of(keys("k2", 2).withOlder(keys("k1", 1)));

    assertThat(rotated.decrypt(A, underOld)).isEqualTo(PLAIN);
    assertThat(rotated.needsReencryption(underOld)).isTrue();
    assertThat(rotated.needsReencryption(PLAIN)).isTrue();
    assertThat(rotated.needsReencryption(rotated.encrypt(A, PLAIN))).isFalse();
    assertThat(rotated.encrypt(A, PLAIN)).startsWith("v1:k2:");
  }
}
