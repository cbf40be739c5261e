package io.auditstream.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretKeysTest {
  private static byte[] key(int b) {
    byte[] key = new byte[SecretKeys.KEY_BYTES];
    Arrays.fill(key, (byte) b);
    return key;
  }

  private static String base64(int b) {
    return Base64.getEncoder().encodeToString(key(b));
  }

  @Test
  void parsesKeysCurrentFirstAndKeepsOlderOnesForDecryption() {
    SecretKeys keys = SecretKeys.parse(" 2026-12:" + base64(2) + " , 2026-01:" + base64(1) + "\n");

    assertThat(keys.currentKeyId()).isEqualTo("2026-12");
    assertThat(keys.keyIds()).containsExactly("2026-12", "2026-01");
    assertThat(keys.key("2026-01")).hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(key(1)));
    assertThat(keys.key("2025-01")).isEmpty();
  }

  @Test
  void addsOlderKeysBehindTheCurrentOne() {
    SecretKeys keys = SecretKeys.ofBase64("k2", base64(2)).withOlder(SecretKeys.of("k1", key(1)));

    assertThat(keys.currentKeyId()).isEqualTo("k2");
    assertThat(keys.keyIds()).containsExactly("k2", "k1");
    assertThatThrownBy(() -> keys.withOlder(SecretKeys.of("k1", key(3))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("'k1' is given twice");
  }

  @Test
  void copiesTheKeyInSoThatTheCallerMayClearItsArray() {
    byte[] raw = key(5);
    SecretKeys keys = SecretKeys.of("k", raw);
    Arrays.fill(raw, (byte) 0);

    assertThat(keys.key("k").orElseThrow().getEncoded()).isEqualTo(key(5));
  }

  @Test
  void neverShowsAKeyInToStringOrMessages() {
    String secretText = base64(9);
    SecretKeys keys = SecretKeys.parse("a:" + secretText + ",b:" + base64(8));

    assertThat(keys.toString()).isEqualTo("SecretKeys[current=a, older=[b]]").doesNotContain(secretText);
    String shortKey = Base64.getEncoder().encodeToString(Arrays.copyOf(key(9), 16));
    assertThatThrownBy(() -> SecretKeys.parse("a:" + shortKey))
        .isInstanceOf(ValidationException.class)
        .hasMessage("keys[0] must hold a key of 32 bytes (AES-256) (was 16 bytes)");
    assertThatThrownBy(() -> SecretKeys.ofBase64("a", "not base64 *" + secretText))
        .isInstanceOf(ValidationException.class).hasMessage("key must be base64 text (standard alphabet)");
    assertThatThrownBy(() -> SecretKeys.parse(secretText))
        .isInstanceOf(ValidationException.class).hasMessageNotContaining(secretText);
  }

  @Test
  void refusesKeysAndKeyIdsThatBreakTheirRulesNamingTheField() {
    assertThatThrownBy(() -> SecretKeys.of("k", new byte[16])).isInstanceOf(ValidationException.class)
        .hasMessage("key must be 32 bytes (AES-256) (was 16 bytes)")
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("key"));
    assertThatThrownBy(() -> SecretKeys.of("a:b", key(1))).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("keyId"));
    assertThatThrownBy(() -> SecretKeys.of("", key(1))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> SecretKeys.of("x".repeat(65), key(1))).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> SecretKeys.parse("")).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("keys"));
    assertThatThrownBy(() -> SecretKeys.parse("a:" + base64(1) + ",a:" + base64(2)))
        .isInstanceOf(ValidationException.class).hasMessage("keys[1]: key id 'a' is given twice");
    assertThatThrownBy(() -> SecretKeys.parse("a:" + base64(1) + ",b"))
        .isInstanceOf(ValidationException.class).hasMessage("keys[1] must be keyId:base64Key");
  }
}
