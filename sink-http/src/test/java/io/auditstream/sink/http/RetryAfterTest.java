package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse(" 30 ", NOW)).contains(Duration.ofSeconds(30));
  }

  @Test
  void readsAnHttpDateRelativeToNow() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:30:00 GMT", NOW)).contains(Duration.ofMinutes(2));
  }

  @Test
  void treatsADateInThePastAsNoWait() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void capsAbsurdWaits() {
    assertThat(RetryAfter.parse("999999999999999999999", NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("86400", NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("Fri, 21 Oct 2016 07:28:00 GMT", NOW)).contains(RetryAfter.MAX);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-5", "1.5", "soon", "2015-10-21T07:30:00Z"})
  void ignoresWhatItCannotRead(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }

  @Test
  void ignoresAnAbsentHeader() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
  }
}
