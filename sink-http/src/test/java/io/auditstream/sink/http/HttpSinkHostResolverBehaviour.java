package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import io.auditstream.testing.TestHostResolver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local network check with a resolver the test controls, when saving and before each request (or
 * each connection, on a transport that checks when it connects). The resolver decides what the check
 * sees; no DNS server is asked. Every transport runs these.
 */
abstract class HttpSinkHostResolverBehaviour extends TransportUnderTest {
  static final String PRIVATE_HOST = "audit.internal.example";

  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();

  final TestHostResolver resolver = TestHostResolver.create().map(PRIVATE_HOST, "10.1.2.3");

  @BeforeEach
  void answerOk() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
  }

  static SinkContext strict(HostResolver resolver) {
    // The receivers here speak plain HTTP; the rule on http:// has tests of its own.
    return SinkTestKit.loopbackContext().toBuilder().allowLocalNetwork(false).allowPlainHttp(true).hostResolver(resolver)
        .build();
  }

  static DeliveryException failure(Sink sink) {
    DeliveryException e = catchThrowableOfType(DeliveryException.class,
        () -> sink.deliver(List.of(TestEvents.event("user_created"))));
    assertThat(e).as("delivery should have failed").isNotNull();
    return e;
  }

  @Test
  void refusesAHostResolvingToAPrivateAddressBeforeSendingAnything() {
    // "localhost" does reach the receiver on loopback: only the check stands in the way.
    resolver.map("localhost", "10.1.2.3");

    for (String host : new String[] {PRIVATE_HOST, "localhost"}) {
      try (Sink sink = sink(
          HttpDestinationConfig.of("http://" + host + ":" + server.getPort() + "/audit"), strict(resolver))) {
        DeliveryException e = failure(sink);

        assertThat(e.isRetryable()).as(host).isFalse();
        assertThat(e).hasMessageContaining("destination host " + host + " resolves to 10.1.2.3, a private")
            .hasMessageContaining("allowLocalNetwork(true)");
      }
    }
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  /** How many tasks one delivery to a host name runs on the blocking executor while local network is refused. */
  abstract int blockingTasksPerCheckedDelivery();

  @Test
  void deliverAsyncRefusesAHostResolvingToAPrivateAddressWithAPermanentFailure() throws Exception {
    AtomicInteger blockingTasks = new AtomicInteger();
    Executor blockingExecutor = task -> {
      blockingTasks.incrementAndGet();
      new Thread(task, "blocking-work").start();
    };

    try (Sink sink = sink(HttpDestinationConfig.of("http://" + PRIVATE_HOST + ":" + server.getPort() + "/audit"),
        strict(resolver))) {
      CompletableFuture<Void> delivery = sink.deliverAsync(List.of(TestEvents.event("user_created")), blockingExecutor);
      Throwable error = catchThrowable(() -> delivery.get(10, TimeUnit.SECONDS));

      assertThat(error).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DeliveryException.class);
      DeliveryException e = (DeliveryException) error.getCause();
      assertThat(e.isRetryable()).isFalse();
      assertThat(e).hasMessageContaining("destination host " + PRIVATE_HOST + " resolves to 10.1.2.3, a private");
    }
    assertThat(blockingTasks).hasValue(blockingTasksPerCheckedDelivery());
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void failsRetryablyForAHostThatDoesNotResolve() {
    try (Sink sink = sink(
        HttpDestinationConfig.of("http://nowhere.internal.example:" + server.getPort() + "/audit"), strict(resolver))) {
      DeliveryException e = failure(sink);

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessage("could not resolve destination host nowhere.internal.example");
    }
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void boundsALookupThatNeverAnswersByTheConnectTimeout() throws InterruptedException {
    CountDownLatch interrupted = new CountDownLatch(1);
    SinkContext context = strict(TestHostResolver.blockingUntilInterrupted(interrupted)).toBuilder()
        .connectTimeout(Duration.ofMillis(200)).build();

    long start = System.nanoTime();
    try (Sink sink = sink(
        HttpDestinationConfig.of("http://" + PRIVATE_HOST + ":" + server.getPort() + "/audit"), context)) {
      DeliveryException e = failure(sink);

      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageContaining("within 200 ms");
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void refusesWhenSavedAHostResolvingToAPrivateAddressNamingNeitherPathNorQuery() {
    HttpDestinationConfig config = HttpDestinationConfig.of("https://" + PRIVATE_HOST + "/hooks/s3cr3t-path?key=k3y-9d1");

    assertThatThrownBy(() -> new HttpSinkProvider().validate(config, strict(resolver)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations()).singleElement()
            .satisfies(v -> assertThat(v.field()).isEqualTo("destinationUrl")))
        .hasMessageContaining("destinationUrl refused: destination host audit.internal.example resolves to 10.1.2.3")
        .hasMessageContaining("allowLocalNetwork(true)")
        .hasMessageNotContaining("s3cr3t-path")
        .hasMessageNotContaining("k3y-9d1");
  }

  @Test
  void acceptsWhenSavedAHostThatDoesNotResolveNow() {
    assertThatCode(() -> new HttpSinkProvider().validate(
        HttpDestinationConfig.of("https://nowhere.internal.example/hook"), strict(resolver)))
        .doesNotThrowAnyException();
    assertThat(resolver.lookups()).isEqualTo(1);
  }

  @Test
  void acceptsEveryHostWhenSavedWhileLocalNetworkIsAllowedWithoutLookingItUp() {
    SinkContext permissive = strict(resolver).toBuilder().allowLocalNetwork(true).build();

    for (String url : new String[] {"https://" + PRIVATE_HOST + "/hook", "http://127.0.0.1:8080/hook"}) {
      assertThatCode(() -> new HttpSinkProvider().validate(HttpDestinationConfig.of(url), permissive))
          .as(url).doesNotThrowAnyException();
    }
    assertThat(resolver.lookups()).isZero();
  }
}
