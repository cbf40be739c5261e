package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class WriteOnlySecretTest {
  private final WriteOnlySecret present = WriteOnlySecret.of("s3cr3t-value");
  private final WriteOnlySecret redacted = WriteOnlySecret.redactedValue();
  private final WriteOnlySecret absent = WriteOnlySecret.absent();

  @Test
  void tellsItsThreeStatesApart() {
    assertThat(present.isPresent()).isTrue();
    assertThat(present.isSet()).isTrue();
    assertThat(present.isRedacted()).isFalse();
    assertThat(redacted.isPresent()).isFalse();
    assertThat(redacted.isSet()).isTrue();
    assertThat(redacted.isRedacted()).isTrue();
    assertThat(absent.isPresent()).isFalse();
    assertThat(absent.isSet()).isFalse();
    assertThat(absent.isRedacted()).isFalse();
    assertThat(WriteOnlySecret.ofNullable((String) null)).isEqualTo(absent);
  }

  @Test
  void redactingKeepsWhetherAValueIsSetButNotTheValue() {
    assertThat(present.redacted()).isEqualTo(redacted);
    assertThat(redacted.redacted()).isEqualTo(redacted);
    assertThat(absent.redacted()).isEqualTo(absent);
    assertThat(present.redacted().value()).isEmpty();
  }

  @Test
  void anUpdateKeepsTheStoredValueUnlessItCarriesOne() {
    WriteOnlySecret stored = WriteOnlySecret.of("stored-value");

    assertThat(absent.orKeep(stored)).isEqualTo(stored);
    assertThat(redacted.orKeep(stored)).isEqualTo(stored);
    assertThat(present.orKeep(stored)).isEqualTo(present);
    assertThat(redacted.orKeep(absent)).isEqualTo(redacted);
    assertThat(absent.orKeep(null)).isEqualTo(absent);
  }

  @Test
  void neverShowsTheValue() {
    assertThat(present.toString()).isEqualTo("****");
    assertThat(redacted.toString()).isEqualTo("(redacted)");
    assertThat(absent.toString()).isEqualTo("(absent)");
    assertThatThrownBy(redacted::get).isInstanceOf(NoSuchElementException.class).hasMessageContaining("redacted");
  }

  @Test
  void equalityComparesStateAndValue() {
    assertThat(present).isEqualTo(WriteOnlySecret.of(Secret.of("s3cr3t-value")))
        .hasSameHashCodeAs(WriteOnlySecret.of("s3cr3t-value"));
    assertThat(present).isNotEqualTo(WriteOnlySecret.of("other")).isNotEqualTo(redacted);
    assertThat(redacted).isNotEqualTo(absent);
  }
}
