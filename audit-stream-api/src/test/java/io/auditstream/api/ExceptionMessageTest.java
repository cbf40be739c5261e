package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExceptionMessageTest {
  @Test
  void aMessageEchoingInputStaysOnOneLine() {
    ValidationException.Collector v = ValidationException.collector()
        .add("contentType", "contentType must be a media type (was text/plain\r\nX-Forged: 1)")
        .add("name\u2028", "name must be short (was a\u0085b)");

    assertThatThrownBy(v::throwIfAny).isInstanceOfSatisfying(ValidationException.class, e -> {
      assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0085", "\u2028")
          .contains("text/plain\\r\\nX-Forged: 1").contains("a\\u0085b");
      assertThat(e.getMessage().lines()).hasSize(1);
      assertThat(e.violations()).extracting(ValidationException.Violation::field)
          .containsExactly("contentType", "name\\u2028");
    });
  }

  @Test
  void everyAuditStreamExceptionMessageIsOneLine() {
    assertThat(new ConflictException("name", "name 'a\nINFO forged' is taken").getMessage())
        .isEqualTo("name 'a\\nINFO forged' is taken");
    assertThat(new NotFoundException("no header 'X\r\nY'").getMessage()).isEqualTo("no header 'X\\r\\nY'");
    assertThat(new AuditStreamException("a\u2028b", null).getMessage()).isEqualTo("a\\u2028b");
  }
}
