package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {
  @Test
  void masksValueInToString() {
    Secret s = Secret.of("very-secret-value");

    assertThat(s.toString()).isEqualTo("****").doesNotContain("very");
    assertThat(s.reveal()).isEqualTo("very-secret-value");
    assertThat(s.length()).isEqualTo(17);
  }

  @Test
  void comparesByValue() {
    assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
    assertThat(Secret.of("abc").matches("abc")).isTrue();
    assertThat(Secret.of("abc").matches(null)).isFalse();
  }
}
