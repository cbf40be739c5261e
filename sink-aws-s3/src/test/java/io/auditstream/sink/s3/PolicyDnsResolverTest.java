package io.auditstream.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyDnsResolverTest {
  private final PolicyDnsResolver resolver = new PolicyDnsResolver(Duration.ofSeconds(2));

  @Test
  void refusesLocalAddressesAtConnectTimeNamingTheSetting() {
    for (String host : new String[] {"127.0.0.1", "localhost", "::1", "10.0.0.8", "169.254.169.254"}) {
      assertThatThrownBy(() -> resolver.resolve(host))
          .as(host)
          .isInstanceOf(PolicyDnsResolver.RefusedAddressException.class)
          .hasMessageContaining("allowLocalNetwork");
    }
  }

  @Test
  void returnsPublicAddressesAndTheNameAsItsOwnCanonicalName() throws Exception {
    assertThat(resolver.resolve("8.8.8.8")).containsExactly(InetAddress.getByName("8.8.8.8"));
    assertThat(resolver.resolveCanonicalHostname("s3.example.com")).isEqualTo("s3.example.com");
  }

  @Test
  void reportsAnUnresolvableNameAsUnknownRatherThanRefused() {
    assertThatThrownBy(() -> resolver.resolve("bucket-host.invalid"))
        .isInstanceOf(java.net.UnknownHostException.class)
        .isNotInstanceOf(PolicyDnsResolver.RefusedAddressException.class);
  }
}
