package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryExceptionTest {

  @Test
  void retryableWithoutACauseIsRetriedWithNoWaitOfItsOwn() {
    DeliveryException e = DeliveryException.retryable("destination host hooks.example answered 503");

    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasMessage("destination host hooks.example answered 503").hasNoCause();
    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void permanentWithoutACauseIsNotRetried() {
    DeliveryException e = DeliveryException.permanent("destination host hooks.example answered 403");

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessage("destination host hooks.example answered 403").hasNoCause();
    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void theFormsWithACauseKeepIt() {
    IOException cause = new IOException("connection reset");

    assertThat(DeliveryException.retryable("reset", cause)).hasCause(cause)
        .satisfies(e -> assertThat(e.isRetryable()).isTrue());
    assertThat(DeliveryException.permanent("refused", cause)).hasCause(cause)
        .satisfies(e -> assertThat(e.isRetryable()).isFalse());
  }

  @Test
  void retryableAfterCarriesTheReceiversWait() {
    DeliveryException e = DeliveryException.retryableAfter("answered 429", Duration.ofSeconds(30));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(e).hasNoCause();
  }
}
