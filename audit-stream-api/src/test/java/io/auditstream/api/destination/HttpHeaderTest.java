package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import org.junit.jupiter.api.Test;

class HttpHeaderTest {
  private static void rejectsKey(String key, String messagePart) {
    assertThatThrownBy(() -> HttpHeader.of(key, "v"))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("key"))
        .hasMessageContaining(messagePart);
  }

  private static void rejectsValue(String value, String messagePart) {
    assertThatThrownBy(() -> HttpHeader.of("X-Key", value))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("value"))
        .hasMessageContaining(messagePart);
  }

  @Test
  void rejectsTokenHeaderInAnyCase() {
    rejectsKey("X-Gitlab-Event-Streaming-Token", "verification token");
    rejectsKey("x-gitlab-event-streaming-token", "verification token");
    rejectsKey("X-GITLAB-EVENT-STREAMING-TOKEN", "verification token");
  }

  @Test
  void rejectsHeadersTheTransportControls() {
    rejectsKey("content-type", "contentType");
    rejectsKey("Host", "set by audit-stream");
    rejectsKey("X-Gitlab-Audit-Event-Type", "set by audit-stream");
  }

  @Test
  void rejectsConnectionLevelHeadersThatHttp2ForbidsInAnyCase() {
    for (String key : new String[] {"Connection", "keep-alive", "Proxy-Connection", "TRANSFER-ENCODING", "Upgrade", "TE"}) {
      rejectsKey(key, "connection-level header");
    }
    // Only the exact names: a header that merely starts like one is the owner's own.
    assertThat(HttpHeader.of("Keep-Alive-Token", "v").key()).isEqualTo("Keep-Alive-Token");
    assertThat(HttpHeader.of("TE-Tenant", "v").key()).isEqualTo("TE-Tenant");
  }

  @Test
  void rejectsKeyWithNonTokenCharacters() {
    rejectsKey("X Key", "HTTP token");
    rejectsKey("X:Key", "HTTP token");
    rejectsKey("X-Kéy", "HTTP token");
    rejectsKey("X\nKey", "\\u000a");
  }

  @Test
  void acceptsKeyOf255CharactersAndRejects256() {
    assertThat(HttpHeader.of("k".repeat(255), "v").key()).hasSize(255);
    rejectsKey("k".repeat(256), "1 to 255");
    rejectsKey("", "1 to 255");
  }

  @Test
  void acceptsTokenSpecialCharactersInKey() {
    assertThat(HttpHeader.of("X-A_b.c~1!#$%&'*+^`|", "v").key()).isEqualTo("X-A_b.c~1!#$%&'*+^`|");
  }

  @Test
  void acceptsValueOf2000CharactersAndRejects2001() {
    assertThat(HttpHeader.of("X-Key", "v".repeat(2000)).value()).hasSize(2000);
    rejectsValue("v".repeat(2001), "1 to 2000");
    rejectsValue("", "1 to 2000");
  }

  @Test
  void rejectsValueWithLineBreaks() {
    rejectsValue("a\r\nInjected: yes", "line breaks");
    rejectsValue("a\nb", "line breaks");
    rejectsValue("a\rb", "line breaks");
  }

  @Test
  void rejectsValueWithLeadingOrTrailingSpace() {
    rejectsValue(" abc", "start or end with a space");
    rejectsValue("abc ", "start or end with a space");
    rejectsValue("\tabc", "start or end with a space");
    assertThat(HttpHeader.of("X-Key", "a b").value()).isEqualTo("a b");
  }

  @Test
  void neverShowsValueInToStringOrErrors() {
    HttpHeader h = HttpHeader.of("Authorization", "Bearer s3cr3t-value");

    assertThat(h.toString()).contains("Authorization").doesNotContain("s3cr3t");
    assertThatThrownBy(() -> HttpHeader.of("Bad Key", "Bearer s3cr3t-value"))
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void matchesKeyIgnoringCaseAndTogglesActive() {
    HttpHeader h = HttpHeader.of("X-Team", "a");

    assertThat(h.hasKey("x-team")).isTrue();
    assertThat(h.withActive(false).active()).isFalse();
    assertThat(h.active()).isTrue();
  }
}
