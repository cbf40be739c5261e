package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.testing.SinkTestKit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How response statuses map to success, retryable and permanent failures. */
abstract class HttpSinkStatusBehaviour extends TransportUnderTest {
  private static final String QUERY_SECRET = "qs-7c1e5b2d8f40";
  private static final String HEADER_SECRET = "hdr-5b2d8f40aa17";
  private static final Instant NOW = Instant.parse("2024-05-02T12:00:00Z");

  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204})
  void succeedsOn2xx(int status) {
    answer(aResponse().withStatus(status));

    assertThatCode(() -> deliver()).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 429, 408})
  void failsRetryablyOnServerErrorsTooManyRequestsAndRequestTimeout(int status) {
    answer(aResponse().withStatus(status));

    DeliveryException e = failure();

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e).hasMessageContaining("answered HTTP " + status).hasMessageContaining("127.0.0.1:" + server.getPort());
  }

  @Test
  void honoursRetryAfterInSeconds() {
    answer(aResponse().withStatus(503).withHeader("Retry-After", "120"));

    DeliveryException e = failure();

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
  }

  @Test
  void honoursRetryAfterAsHttpDate() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
    answer(aResponse().withStatus(429).withHeader("Retry-After", date));

    DeliveryException e = failure();

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
  }

  @Test
  void ignoresAMalformedRetryAfter() {
    answer(aResponse().withStatus(503).withHeader("Retry-After", "soon"));

    DeliveryException e = failure();

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 405, 410, 413, 422})
  void failsPermanentlyOnOtherClientErrors(int status) {
    answer(aResponse().withStatus(status).withHeader("Retry-After", "5"));

    DeliveryException e = failure();

    assertThat(e.isRetryable()).isFalse();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e).hasMessageContaining("answered HTTP " + status);
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void failsPermanentlyOnRedirectsWithoutFollowingThem(int status) {
    server.stubFor(any(urlPathEqualTo("/audit")).willReturn(aResponse().withStatus(status)
        .withHeader("Location", "http://127.0.0.1:" + server.getPort() + "/moved")));
    server.stubFor(any(urlPathEqualTo("/moved")).willReturn(aResponse().withStatus(200)));

    DeliveryException e = failure();

    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("answered HTTP " + status).hasMessageContaining("redirects are not followed");
    assertThat(server.findAll(anyRequestedFor(urlPathEqualTo("/moved")))).isEmpty();
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {302, 400, 401, 429, 500, 503})
  void failureMessagesNeverShowTheTokenHeaderValuesQueryOrPath(int status) {
    // A receiver that echoes the request back must not get its secrets into the message either.
    answer(aResponse().withStatus(status).withBody("token=" + SinkTestKit.TOKEN + " auth=" + HEADER_SECRET));

    DeliveryException e = failure();

    assertThat(e.getMessage())
        .doesNotContain(SinkTestKit.TOKEN)
        .doesNotContain(HEADER_SECRET)
        .doesNotContain(QUERY_SECRET)
        .doesNotContain("/audit");
  }

  private static void answer(ResponseDefinitionBuilder response) {
    server.stubFor(any(anyUrl()).willReturn(response));
  }

  private void deliver() throws DeliveryException {
    HttpDestinationConfig config = HttpDestinationConfig.builder()
        .destinationUrl("http://127.0.0.1:" + server.getPort() + "/audit?key=" + QUERY_SECRET)
        .header("Authorization", "Bearer " + HEADER_SECRET)
        .build();
    HttpSinkProvider provider = provider(Clock.fixed(NOW, ZoneOffset.UTC));
    try (Sink sink = provider.create(SinkTestKit.destination(config), SinkTestKit.loopbackContext())) {
      sink.deliver(List.of(TestEvents.event("user_created")));
    }
  }

  private DeliveryException failure() {
    DeliveryException e = catchThrowableOfType(DeliveryException.class, this::deliver);
    assertThat(e).as("delivery should have failed").isNotNull();
    return e;
  }
}
