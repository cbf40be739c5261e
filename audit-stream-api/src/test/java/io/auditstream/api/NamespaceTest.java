package io.auditstream.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NamespaceTest {
  /** The rule as the documentation states it: segments of this pattern, separated by single slashes. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private static boolean wellFormed(String path) {
    if (path.isEmpty() || path.length() > 255) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aPathIsAcceptedExactlyWhenItIsSegmentsOfTheDocumentedCharactersSeparatedBySlashes() {
    String alphabet = "aZ09_.-/ é:\u0000\u0130";
    Random random = new Random(11);
    for (int i = 0; i < 50_000; i++) {
      StringBuilder path = new StringBuilder();
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        path.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String p = path.toString();
      if (wellFormed(p)) {
        Namespace.validatePath("namespace", p);
      } else {
        assertThatThrownBy(() -> Namespace.validatePath("namespace", p)).as("'%s'", p)
            .isInstanceOf(ValidationException.class).hasMessageContaining("namespace must");
      }
    }
  }

  @Test
  void pathsAtTheEdgesOfTheRule() {
    for (String ok : new String[] {"a", "_", "0", "acme/platform/api", "a.b-c/_d", "x".repeat(255)}) {
      Namespace.validatePath("namespace", ok);
    }
    for (String bad : new String[] {"", "/a", "a/", "a//b", ".a", "a/-b", "a b", "x".repeat(256)}) {
      assertThatThrownBy(() -> Namespace.validatePath("namespace", bad)).as("'%s'", bad)
          .isInstanceOf(ValidationException.class);
    }
    assertThat(Namespace.project("acme/platform/api").topLevelGroup()).isEqualTo("acme");
  }
}
