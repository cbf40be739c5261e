package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.HttpDestinationConfig;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The address classification matrix. Addresses are built from literals only: nothing here
 * connects anywhere, and only loopback names are ever resolved.
 */
class NetworkAddressPolicyTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "127.0.0.1, LOOPBACK",
    "127.255.10.3, LOOPBACK",
    "::1, LOOPBACK",
    "0.0.0.0, ANY_LOCAL",
    "0.1.2.3, ANY_LOCAL",
    "::, ANY_LOCAL",
    "10.0.0.1, PRIVATE",
    "10.255.255.255, PRIVATE",
    "172.16.0.1, PRIVATE",
    "172.31.255.254, PRIVATE",
    "192.168.1.1, PRIVATE",
    "fec0::1, PRIVATE",
    "169.254.0.1, LINK_LOCAL",
    "169.254.170.2, LINK_LOCAL",
    "fe80::1, LINK_LOCAL",
    "febf:ffff::1, LINK_LOCAL",
    "100.64.0.1, CARRIER_GRADE_NAT",
    "100.127.255.254, CARRIER_GRADE_NAT",
    "fc00::1, UNIQUE_LOCAL",
    "fd12:3456:789a::1, UNIQUE_LOCAL",
    "224.0.0.1, MULTICAST",
    "239.255.255.250, MULTICAST",
    "ff02::1, MULTICAST",
    "240.0.0.1, RESERVED",
    "255.255.255.255, RESERVED",
    "192.0.0.170, RESERVED",
    "198.18.0.1, RESERVED",
    "198.19.255.255, RESERVED",
    "192.88.99.1, RESERVED",
    "100::1, RESERVED",
    "198.17.255.255, PUBLIC",
    "198.20.0.0, PUBLIC",
    "192.0.1.1, PUBLIC",
    "100:0:0:1::1, PUBLIC",
    "169.254.169.254, CLOUD_METADATA",
    "fd00:ec2::254, CLOUD_METADATA",
    "100.100.100.200, CLOUD_METADATA",
    "8.8.8.8, PUBLIC",
    "1.1.1.1, PUBLIC",
    "172.15.255.255, PUBLIC",
    "172.32.0.1, PUBLIC",
    "100.63.255.255, PUBLIC",
    "100.128.0.1, PUBLIC",
    "169.253.255.255, PUBLIC",
    "192.169.0.1, PUBLIC",
    "11.0.0.1, PUBLIC",
    "2001:4860:4860::8888, PUBLIC",
    "2606:4700:4700::1111, PUBLIC",
    "fe00::1, PUBLIC"
  })
  void classifiesLiteralAddresses(String literal, AddressCategory expected) throws UnknownHostException {
    assertThat(NetworkAddressPolicy.classify(InetAddress.getByName(literal))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} embeds {1}")
  @CsvSource({
    "0:0:0:0:0:ffff:7f00:1, LOOPBACK",
    "0:0:0:0:0:ffff:a9fe:a9fe, CLOUD_METADATA",
    "0:0:0:0:0:ffff:0a00:0001, PRIVATE",
    "::127.0.0.1, LOOPBACK",
    "::10.1.2.3, PRIVATE",
    "::169.254.169.254, CLOUD_METADATA",
    "::0.0.0.2, ANY_LOCAL",
    "64:ff9b::192.168.0.1, PRIVATE",
    "2002:7f00:0001::1, LOOPBACK",
    "2002:a9fe:a9fe::1, CLOUD_METADATA",
    "64:ff9b::8.8.8.8, PUBLIC",
    "::ffff:0:7f00:1, LOOPBACK",
    "::ffff:0:a9fe:a9fe, CLOUD_METADATA",
    "64:ff9b:1::a00:1, PRIVATE",
    "64:ff9b:1:abcd::8.8.8.8, PUBLIC",
    "2001:0:4136:e378:8000:63bf:80ff:fffe, LOOPBACK",
    "2001:0:4136:e378:8000:63bf:5601:5601, CLOUD_METADATA",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7, PUBLIC",
    "2606:4700::5efe:a00:1, PRIVATE",
    "2606:4700::200:5efe:7f00:1, LOOPBACK",
    "fe80::5efe:8.8.8.8, LINK_LOCAL",
    "0:0:0:0:0:ffff:0808:0808, PUBLIC"
  })
  void classifiesIpv6FormsByTheIpv4AddressTheyEmbed(String literal, AddressCategory expected) throws UnknownHostException {
    InetAddress address = ipv6(literal);
    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(NetworkAddressPolicy.classify(address)).isEqualTo(expected);
  }

  @Test
  void refusalNamesTheHostTheAddressItsCategoryAndHowToAllowIt() throws UnknownHostException {
    var refusal = NetworkAddressPolicy.refusal("metadata.internal",
        List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("169.254.169.254")));

    assertThat(refusal).hasValueSatisfying(message -> assertThat(message)
        .contains("destination host metadata.internal resolves to 169.254.169.254, a cloud metadata service address")
        .contains("allowLocalNetwork(true)"));
  }

  @Test
  void refusalOfAnEmbeddedAddressNamesTheIpv4Address() throws UnknownHostException {
    InetAddress mapped = Inet6Address.getByAddress(null, mapped(new byte[] {127, 0, 0, 1}), -1);

    assertThat(NetworkAddressPolicy.refusal("sneaky.example", List.of(mapped)))
        .hasValueSatisfying(message -> assertThat(message)
            .contains("a loopback address (IPv4 127.0.0.1 embedded in an IPv6 address)"));
  }

  @Test
  void allowsHostsWhoseAddressesAreAllPublic() throws UnknownHostException {
    assertThat(NetworkAddressPolicy.refusal("dns.google",
        List.of(InetAddress.getByName("8.8.8.8"), InetAddress.getByName("2001:4860:4860::8888")))).isEmpty();
  }

  @Test
  void checkRefusesLocalhostAsPermanentFailure() {
    assertThatThrownBy(() -> NetworkAddressPolicy.check("localhost", java.time.Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("destination host localhost resolves to")
        .hasMessageContaining("a loopback address")
        .hasMessageContaining("allowLocalNetwork(true)");
  }

  @Test
  void checkAcceptsBracketedIpv6Literals() {
    assertThatThrownBy(() -> NetworkAddressPolicy.check("[::1]", java.time.Duration.ofSeconds(5)))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("destination host ::1 resolves to 0:0:0:0:0:0:0:1, a loopback address");
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.1", "[fd00:ec2::254]", "::1", "192.168.0.10"})
  void parsesIpLiteralsWithoutDns(String host) {
    assertThat(NetworkAddressPolicy.parseLiteral(host)).isPresent();
  }

  @ParameterizedTest
  @CsvSource({"example.com", "10.0.0.300", "127.1", "012.0.0.1", "2130706433", "deadbeef", "[not:an:address:zz]"})
  void doesNotTakeNamesOrMalformedAddressesForLiterals(String host) {
    assertThat(NetworkAddressPolicy.parseLiteral(host)).isEmpty();
  }

  @Test
  void saveTimeCheckRefusesLiteralLocalAddresses() {
    HttpDestinationConfig config = HttpDestinationConfig.of("http://169.254.169.254/latest/meta-data");

    assertThatThrownBy(() -> NetworkAddressPolicy.validateLiteralHost("destinationUrl", config.uri().getHost()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
        .hasMessageContaining("destinationUrl host 169.254.169.254 is a cloud metadata service address");
  }

  @Test
  void saveTimeCheckLeavesNamesAndPublicAddressesAlone() {
    NetworkAddressPolicy.validateLiteralHost("destinationUrl", java.net.URI.create("https://intranet.example/hook").getHost());
    NetworkAddressPolicy.validateLiteralHost("destinationUrl", java.net.URI.create("https://8.8.8.8/hook").getHost());
    NetworkAddressPolicy.validateLiteralHost("destinationUrl", java.net.URI.create("https://[2001:4860:4860::8888]/hook").getHost());

    assertThatThrownBy(() -> NetworkAddressPolicy.validateLiteralHost("destinationUrl", java.net.URI.create("https://[::1]:8443/").getHost()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("is a loopback address");
  }

  /**
   * The IPv6 form of {@code literal}. InetAddress.getByName turns IPv4-mapped literals into IPv4
   * addresses; a resolver or a socket may hand out the IPv6 form, so that is what is built here.
   */
  private static Inet6Address ipv6(String literal) throws UnknownHostException {
    byte[] b = InetAddress.getByName(literal).getAddress();
    return Inet6Address.getByAddress(null, b.length == 16 ? b : mapped(b), -1);
  }

  private static byte[] mapped(byte[] ipv4) {
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    System.arraycopy(ipv4, 0, b, 12, 4);
    return b;
  }
}
