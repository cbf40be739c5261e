package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.HttpDestinationConfig;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hosts spelled as numbers: every spelling {@code inet_aton} reads as an IPv4 address, other than four
 * decimal numbers, is refused when saved and before a request, with the dotted-decimal form in the message.
 */
class NumericHostsTest {

  @ParameterizedTest(name = "{0} is read as {1}")
  @CsvSource({
    "2130706433, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0X7F000001, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "012.0.0.1, 10.0.0.1",
    "127.1, 127.0.0.1",
    "127.0.1, 127.0.0.1",
    "0x7f.1, 127.0.0.1",
    "10.1, 10.0.0.1",
    "0300.0250.01.01, 192.168.1.1",
    "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
    "127.000.000.001, 127.0.0.1",
    "127.0.0.1., 127.0.0.1",
    "0, 0.0.0.0",
    "0x, 0.0.0.0",
    "4294967295, 255.255.255.255"
  })
  void readsEveryInetAtonSpelling(String host, String dotted) throws Exception {
    InetAddress expected = InetAddress.getByName(dotted);
    assertThat(NumericHosts.parseLikeInetAton(host)).hasValueSatisfying(
        b -> assertThat(AddressClassifier.byAddress(b)).isEqualTo(expected));
    assertThat(NumericHosts.refusal("destinationUrl", host)).hasValueSatisfying(message -> assertThat(message)
        .startsWith("destinationUrl host " + host + " spells the IPv4 address " + dotted)
        .endsWith("write it as " + dotted));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4294967296", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1.2.65536", "foo.123", "foo.0x1a",
      "08.0.0.1"})
  void refusesAHostThatEndsInANumberButIsNoAddress(String host) {
    assertThat(NumericHosts.refusal("endpoint", host)).hasValueSatisfying(message -> assertThat(message)
        .isEqualTo("endpoint host " + host + " is not a valid host: a host whose last label is a number must be an"
            + " IPv4 address written as four decimal numbers"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "8.8.8.8", "0.0.0.0", "255.255.255.255", "example.com", "example.com.", "1e3",
      "123.example", "0xdeadbeef.example", "deadbeef", "::ffff:127.0.0.1", "2001:db8::1.2.3.4", "xn--bcher-kva.example"})
  void leavesNamesDottedDecimalAddressesAndIpv6Alone(String host) {
    assertThat(NumericHosts.refusal("destinationUrl", host)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://2130706433/hook", "http://0x7f000001:8080/hook", "https://0177.0.0.1/",
      "https://012.0.0.1/", "http://127.000.000.001/"})
  void anHttpDestinationUrlSpelledAsANumberIsRefusedWhenSaved(String url) {
    assertThatThrownBy(() -> HttpDestinationConfig.of(url))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
        .hasMessageContaining("in a form that clients and proxies read differently; write it as");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "0x7f000001", "012.0.0.1"})
  void checkBeforeARequestRefusesNumericSpellingsForGood(String host) {
    assertThatThrownBy(() -> NetworkAddressPolicy.check(host, Duration.ofSeconds(2), name -> {
      throw new AssertionError("a numeric host must not be handed to the resolver: " + name);
    }))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("destination host " + host + " spells the IPv4 address");
  }
}
