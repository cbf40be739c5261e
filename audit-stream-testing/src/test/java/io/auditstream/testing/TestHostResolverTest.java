package io.auditstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.NetworkAddressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestHostResolverTest {
  @Test
  void resolvesAMappedNameToItsAddressesInOrder() throws Exception {
    TestHostResolver names = TestHostResolver.create().map("audit.example", "203.0.113.10", "[2001:db8::10]");

    assertThat(names.resolve("audit.example")).extracting(InetAddress::getHostAddress)
        .containsExactly("203.0.113.10", "2001:db8:0:0:0:0:0:10");
  }

  @Test
  void doesNotResolveANameItWasNotTold() {
    TestHostResolver names = TestHostResolver.create().map("audit.example", "203.0.113.10");

    assertThatThrownBy(() -> names.resolve("other.example"))
        .isInstanceOf(UnknownHostException.class).hasMessage("other.example");
  }

  @Test
  void matchesNamesWithoutRegardToCase() throws Exception {
    TestHostResolver names = TestHostResolver.create().map("Audit.Example", "203.0.113.10");

    assertThat(names.resolve("audit.EXAMPLE")).extracting(InetAddress::getHostAddress)
        .containsExactly("203.0.113.10");
  }

  @Test
  void aNewMappingReplacesTheOldOne() throws Exception {
    TestHostResolver names = TestHostResolver.create().map("audit.example", "203.0.113.10");

    names.map("audit.example", "10.1.2.3");

    assertThat(names.resolve("audit.example")).extracting(InetAddress::getHostAddress)
        .containsExactly("10.1.2.3");
  }

  @Test
  void countsEveryLookupWhetherTheNameResolvesOrNot() throws Exception {
    TestHostResolver names = TestHostResolver.create().map("audit.example", "203.0.113.10");
    assertThat(names.lookups()).isZero();

    names.resolve("audit.example");
    assertThatThrownBy(() -> names.resolve("other.example")).isInstanceOf(UnknownHostException.class);

    assertThat(names.lookups()).isEqualTo(2);
  }

  @Test
  void switchesToItsSecondAnswerAfterTheGivenNumberOfLookups() throws Exception {
    TestHostResolver names = TestHostResolver.create()
        .mapSwitching("audit.example", 2, List.of("8.8.8.8"), List.of("127.0.0.1", "::1"));

    assertThat(names.resolve("audit.example")).containsExactly(InetAddress.getByName("8.8.8.8"));
    assertThat(names.resolve("AUDIT.example")).containsExactly(InetAddress.getByName("8.8.8.8"));
    assertThat(names.resolve("audit.example"))
        .containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
    assertThat(names.resolve("audit.example"))
        .containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
    assertThat(names.lookups()).isEqualTo(4);
  }

  @Test
  void refusesANegativeNumberOfLookupsBeforeSwitching() {
    assertThatThrownBy(() -> TestHostResolver.create().mapSwitching("audit.example", -1, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lookups must be at least 0 (was -1)");
  }

  @Test
  void refusesAnAddressThatIsNotAnIpLiteral() {
    assertThatThrownBy(() -> TestHostResolver.create().map("audit.example", "elsewhere.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("address must be an IP literal (was elsewhere.example)");
  }

  @Test
  void eachResolverKeepsItsOwnAnswers() {
    TestHostResolver first = TestHostResolver.create().map("audit.example", "203.0.113.10");
    TestHostResolver second = TestHostResolver.create();

    assertThatThrownBy(() -> second.resolve("audit.example")).isInstanceOf(UnknownHostException.class);
    assertThat(first.lookups()).isZero();
  }

  @Test
  void decidesWhatTheAddressCheckSees() throws Exception {
    TestHostResolver names = TestHostResolver.create()
        .map("audit.internal.example", "10.1.2.3")
        .map("audit.example", "203.0.113.10");
    Duration timeout = Duration.ofSeconds(5);

    assertThat(NetworkAddressPolicy.check("audit.example", timeout, names))
        .extracting(InetAddress::getHostAddress).containsExactly("203.0.113.10");
    assertThatThrownBy(() -> NetworkAddressPolicy.check("audit.internal.example", timeout, names))
        .isInstanceOf(DeliveryException.class).hasMessageContaining("10.1.2.3");
    assertThatThrownBy(() -> NetworkAddressPolicy.check("unknown.example", timeout, names))
        .isInstanceOf(DeliveryException.class).hasMessageContaining("could not resolve");
  }

  @Test
  void blockingResolverAnswersOnceInterrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    HostResolver blocking = TestHostResolver.blockingUntilInterrupted(interrupted);

    assertThatThrownBy(() -> NetworkAddressPolicy.check("audit.example", Duration.ofMillis(100), blocking))
        .isInstanceOf(DeliveryException.class).hasMessageContaining("within 100 ms");

    assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the lookup was interrupted").isTrue();
  }
}
