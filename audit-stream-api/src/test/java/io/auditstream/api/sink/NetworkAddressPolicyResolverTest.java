package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The address check with a resolver the test controls: no DNS is ever asked, and no test waits on
 * a lookup longer than its short timeout.
 */
class NetworkAddressPolicyResolverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final String PRIVATE_NAME = "audit.internal.example";
  private static final String PUBLIC_NAME = "audit.example.com";

  /** {@value #PRIVATE_NAME} is 10.1.2.3, {@value #PUBLIC_NAME} is 203.0.113.10, nothing else resolves. */
  private final AtomicInteger lookups = new AtomicInteger();
  private final HostResolver table = host -> {
    lookups.incrementAndGet();
    switch (host) {
      case PRIVATE_NAME:
        return List.of(address("10.1.2.3"));
      case PUBLIC_NAME:
        return List.of(address("203.0.113.10"), address("2001:db8::10"));
      default:
        throw new UnknownHostException("resolver-detail-7f3e: " + host);
    }
  };

  private static SinkContext strict(HostResolver resolver) {
    return SinkContext.builder().hostResolver(resolver).connectTimeout(TIMEOUT).build();
  }

  @Test
  void checkRefusesANameThatTheResolverMapsToAPrivateAddress() {
    assertThatThrownBy(() -> NetworkAddressPolicy.check(PRIVATE_NAME, TIMEOUT, table))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("destination host audit.internal.example resolves to 10.1.2.3, a private (site-local) address")
        .hasMessageContaining("allowLocalNetwork(true)");
  }

  @Test
  void checkRefusesWhenAnyOfTheAddressesIsRefused() {
    HostResolver mixed = host -> List.of(address("203.0.113.10"), address("169.254.169.254"));

    assertThatThrownBy(() -> NetworkAddressPolicy.check(PUBLIC_NAME, TIMEOUT, mixed))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessageContaining("169.254.169.254, a cloud metadata service address");
  }

  @Test
  void checkReturnsTheAddressesTheResolverGaveWhenAllArePublic() throws Exception {
    assertThat(NetworkAddressPolicy.check(PUBLIC_NAME, TIMEOUT, table))
        .containsExactly(address("203.0.113.10"), address("2001:db8::10"));
  }

  @Test
  void checkFailsRetryablyForANameThatDoesNotResolveWithoutRepeatingTheResolversMessage() {
    assertThatThrownBy(() -> NetworkAddressPolicy.check("nowhere.example", TIMEOUT, table))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessage("could not resolve destination host nowhere.example")
        .hasMessageNotContaining("resolver-detail");
  }

  @Test
  void checkTakesAnEmptyAnswerForANameThatDoesNotResolve() {
    assertThatThrownBy(() -> NetworkAddressPolicy.check(PUBLIC_NAME, TIMEOUT, host -> List.of()))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("could not resolve destination host " + PUBLIC_NAME);
  }

  @Test
  void checkGivesUpOnALookupAfterTheTimeoutAndInterruptsIt() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);

    long start = System.nanoTime();
    assertThatThrownBy(() -> NetworkAddressPolicy.check(PUBLIC_NAME, SHORT, blockingUntilInterrupted(interrupted)))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("could not resolve destination host " + PUBLIC_NAME + " within 200 ms");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThanOrEqualTo(SHORT).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the lookup was interrupted").isTrue();
  }

  @Test
  void checkNeverHandsAnIpLiteralToTheResolver() throws Exception {
    assertThat(NetworkAddressPolicy.check("203.0.113.7", TIMEOUT, table)).containsExactly(address("203.0.113.7"));
    assertThatThrownBy(() -> NetworkAddressPolicy.check("[fd00::1]", TIMEOUT, table))
        .isInstanceOf(DeliveryException.class);

    assertThat(lookups).hasValue(0);
  }

  @Test
  void validateHostRefusesANameResolvingToAPrivateAddressNamingFieldAddressAndSetting() {
    ValidationException.Collector v = ValidationException.collector();

    NetworkAddressPolicy.validateHost(v, "destinationUrl", PRIVATE_NAME, strict(table));

    assertThatThrownBy(v::throwIfAny)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations()).singleElement()
            .satisfies(violation -> {
              assertThat(violation.field()).isEqualTo("destinationUrl");
              assertThat(violation.message()).startsWith("destinationUrl refused: ")
                  .contains("audit.internal.example resolves to 10.1.2.3")
                  .contains("allowLocalNetwork(true)");
            }));
  }

  @Test
  void validateHostRefusesALocalIpLiteralWithoutAskingTheResolver() {
    ValidationException.Collector v = ValidationException.collector();

    NetworkAddressPolicy.validateHost(v, "endpoint", "[::1]", strict(table));

    assertThatThrownBy(v::throwIfAny)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
        .hasMessageContaining("endpoint host ::1 is a loopback address")
        .hasMessageContaining("allowLocalNetwork(true)");
    assertThat(lookups).hasValue(0);
  }

  @Test
  void validateHostAcceptsPublicNamesAndNamesThatDoNotResolveNow() {
    ValidationException.Collector v = ValidationException.collector();

    NetworkAddressPolicy.validateHost(v, "endpoint", PUBLIC_NAME, strict(table));
    NetworkAddressPolicy.validateHost(v, "endpoint", "nowhere.example", strict(table));
    NetworkAddressPolicy.validateHost(v, "endpoint", "203.0.113.7", strict(table));

    assertThat(v.isEmpty()).isTrue();
    assertThat(lookups).hasValue(2);
  }

  @Test
  void validateHostAcceptsANameWhoseLookupOutlastsTheConnectTimeout() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    SinkContext context = SinkContext.builder().hostResolver(blockingUntilInterrupted(interrupted))
        .connectTimeout(SHORT).build();
    ValidationException.Collector v = ValidationException.collector();

    long start = System.nanoTime();
    NetworkAddressPolicy.validateHost(v, "endpoint", PUBLIC_NAME, context);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(v.isEmpty()).isTrue();
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void validateHostChecksNothingWhenLocalNetworkIsAllowed() {
    SinkContext permissive = strict(table).toBuilder().allowLocalNetwork(true).build();
    ValidationException.Collector v = ValidationException.collector();

    NetworkAddressPolicy.validateHost(v, "endpoint", PRIVATE_NAME, permissive);
    NetworkAddressPolicy.validateHost(v, "endpoint", "127.0.0.1", permissive);

    assertThat(v.isEmpty()).isTrue();
    assertThat(lookups).hasValue(0);
  }

  @Test
  void validateHostAddsToTheViolationsAlreadyCollected() {
    ValidationException.Collector v = ValidationException.collector();

    NetworkAddressPolicy.validateHost(v, "endpoint", PRIVATE_NAME, strict(table));
    NetworkAddressPolicy.validateHost(v, "tokenServerUri", "169.254.169.254", strict(table));

    assertThatThrownBy(v::throwIfAny)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("endpoint", "tokenServerUri"));
  }

  @Test
  void sinkContextUsesTheSystemResolverUnlessGivenOneAndKeepsItInACopy() {
    assertThat(SinkContext.defaults().hostResolver()).isSameAs(HostResolver.system());
    assertThat(SinkContext.defaults().toString()).contains("hostResolver=HostResolver.system()");
    assertThat(strict(table).toBuilder().requestTimeout(TIMEOUT).build().hostResolver()).isSameAs(table);
    assertThatThrownBy(() -> SinkContext.builder().hostResolver(null)).isInstanceOf(NullPointerException.class);
  }

  /** A resolver that answers nothing until its thread is interrupted, then reports that it was. */
  private static HostResolver blockingUntilInterrupted(CountDownLatch interrupted) {
    return host -> {
      try {
        new CountDownLatch(1).await();
        throw new UnknownHostException(host);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw new UnknownHostException("interrupted");
      }
    };
  }

  private static InetAddress address(String literal) {
    return NetworkAddressPolicy.parseLiteral(literal).orElseThrow();
  }
}
