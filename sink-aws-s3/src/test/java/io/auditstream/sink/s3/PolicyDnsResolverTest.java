package io.auditstream.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.TestHostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the S3 client may connect to, as the context's resolver answers; no DNS is asked. */
class PolicyDnsResolverTest {
  private final TestHostResolver names = TestHostResolver.create()
      .map("localhost", "127.0.0.1")
      .map("minio.internal.example", "10.1.2.3")
      .map("s3.storage.example", "203.0.113.10", "2001:db8::10");
  private final PolicyDnsResolver resolver = new PolicyDnsResolver(context(names, Duration.ofSeconds(2)));

  private static SinkContext context(HostResolver resolver, Duration connectTimeout) {
    return SinkContext.builder().hostResolver(resolver).connectTimeout(connectTimeout).build();
  }

  @Test
  void refusesLocalAddressesAtConnectTimeNamingTheSetting() {
    for (String host : new String[] {"127.0.0.1", "localhost", "::1", "10.0.0.8", "169.254.169.254",
        "minio.internal.example"}) {
      assertThatThrownBy(() -> resolver.resolve(host))
          .as(host)
          .isInstanceOf(PolicyDnsResolver.RefusedAddressException.class)
          .hasMessageContaining("allowLocalNetwork");
    }
    assertThatThrownBy(() -> resolver.resolve("minio.internal.example"))
        .hasMessageContaining("minio.internal.example resolves to 10.1.2.3");
  }

  @Test
  void returnsExactlyTheAddressesThatPassedAndTheNameAsItsOwnCanonicalName() throws Exception {
    assertThat(resolver.resolve("8.8.8.8")).containsExactly(InetAddress.getByName("8.8.8.8"));
    assertThat(resolver.resolve("s3.storage.example"))
        .containsExactly(InetAddress.getByName("203.0.113.10"), InetAddress.getByName("2001:db8::10"));
    assertThat(resolver.resolveCanonicalHostname("s3.example.com")).isEqualTo("s3.example.com");
  }

  @Test
  void reportsAnUnresolvableNameAsUnknownRatherThanRefused() {
    assertThatThrownBy(() -> resolver.resolve("bucket-host.invalid"))
        .isInstanceOf(UnknownHostException.class)
        .isNotInstanceOf(PolicyDnsResolver.RefusedAddressException.class);
  }

  @Test
  void reportsALookupThatOutlastsTheConnectTimeoutAsUnknown() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    PolicyDnsResolver slow = new PolicyDnsResolver(
        context(TestHostResolver.blockingUntilInterrupted(interrupted), Duration.ofMillis(200)));

    long start = System.nanoTime();
    assertThatThrownBy(() -> slow.resolve("s3.storage.example"))
        .isInstanceOf(UnknownHostException.class)
        .isNotInstanceOf(PolicyDnsResolver.RefusedAddressException.class)
        .hasMessageContaining("within 200 ms");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
