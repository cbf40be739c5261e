package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void escapesLineBreaksAndTabsAsTheirUsualEscapes() {
    assertThat(LogText.escape("x\n2026-01-01 INFO forged")).isEqualTo("x\\n2026-01-01 INFO forged");
    assertThat(LogText.escape("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
  }

  @Test
  void escapesEveryOtherControlCharacterAndTheUnicodeSeparatorsAsUnicodeEscapes() {
    assertThat(LogText.escape("\u0000\u0007\u001b[31m")).isEqualTo("\\u0000\\u0007\\u001b[31m");
    assertThat(LogText.escape("del\u007f c1\u0080\u0085\u009f")).isEqualTo("del\\u007f c1\\u0080\\u0085\\u009f");
    assertThat(LogText.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
    for (char c = 0; c < 0x20; c++) {
      assertThat(LogText.escape(String.valueOf(c))).startsWith("\\").hasSizeGreaterThan(1);
      assertThat(LogText.hasControlCharacters(String.valueOf(c))).isTrue();
    }
  }

  @Test
  void keepsOrdinaryTextAsTypedIncludingBackslashesAndNonLatinLetters() {
    String text = "Zürich – ß 日本 😀 \"quoted\" \\n as typed \u00a0nbsp";
    assertThat(LogText.escape(text)).isSameAs(text);
    assertThat(LogText.hasControlCharacters(text)).isFalse();
    assertThat(LogText.escape(null)).isEqualTo("null");
    assertThat(LogText.hasControlCharacters(null)).isFalse();
  }

  @Test
  void escapedTextHasNoCharacterThatCanEndALine() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      all.append(c);
    }
    String escaped = LogText.escape(all.toString());
    assertThat(escaped.lines()).hasSize(1);
    assertThat(escaped).doesNotContain("\n", "\r", "\u000b", "\f", "\u0085", "\u2028", "\u2029");
  }
}
