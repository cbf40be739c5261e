package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an HTTP destination receives: method, body bytes and headers, checked on a real server. */
abstract class HttpSinkRequestBehaviour extends TransportUnderTest {
  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();

  @BeforeEach
  void acceptEverything() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
  }

  @Test
  void postsTheEncodedJsonBytesUnchanged() throws Exception {
    var event = TestEvents.event("user_created");

    deliver(config("/audit").build(), SinkTestKit.loopbackContext(), event);

    LoggedRequest request = onlyRequest();
    assertThat(request.getMethod().getName()).isEqualTo("POST");
    assertThat(request.getUrl()).isEqualTo("/audit");
    assertThat(request.getBody()).isEqualTo(event.json());
  }

  @Test
  void sendsTheVerificationTokenAndEventTypeHeaders() throws Exception {
    deliver(config("/audit").build(), SinkTestKit.loopbackContext(), TestEvents.event("project_created"));

    LoggedRequest request = onlyRequest();
    assertThat(request.getHeaders().getHeader(HttpHeader.TOKEN_HEADER).values()).containsExactly(SinkTestKit.TOKEN);
    assertThat(request.getHeaders().getHeader(HttpHeader.EVENT_TYPE_HEADER).values()).containsExactly("project_created");
  }

  @Test
  void sendsTheDocumentedFormUrlencodedContentTypeByDefault() throws Exception {
    deliver(config("/audit").build(), SinkTestKit.loopbackContext(), TestEvents.event("user_created"));

    assertThat(onlyRequest().getHeaders().getHeader("Content-Type").values())
        .containsExactly("application/x-www-form-urlencoded");
  }

  @Test
  void sendsTheConfiguredContentTypeInstead() throws Exception {
    deliver(config("/audit").contentType("application/json").build(), SinkTestKit.loopbackContext(),
        TestEvents.event("user_created"));

    assertThat(onlyRequest().getHeaders().getHeader("Content-Type").values()).containsExactly("application/json");
  }

  @Test
  void sendsActiveCustomHeadersAndLeavesInactiveOnesOut() throws Exception {
    HttpDestinationConfig config = config("/audit")
        .header("Authorization", "Bearer abc123")
        .header(new HttpHeader("X-Tenant", "acme-prod", true))
        .header(new HttpHeader("X-Disabled", "do-not-send", false))
        .build();

    deliver(config, SinkTestKit.loopbackContext(), TestEvents.event("user_created"));

    LoggedRequest request = onlyRequest();
    assertThat(request.getHeaders().getHeader("Authorization").values()).containsExactly("Bearer abc123");
    assertThat(request.getHeaders().getHeader("X-Tenant").values()).containsExactly("acme-prod");
    assertThat(request.containsHeader("X-Disabled")).isFalse();
  }

  @Test
  void tokenHeaderCannotBeReplacedByACustomHeader() throws Exception {
    assertThatThrownBy(() -> HttpHeader.of("x-gitlab-event-streaming-token", "forged-token-value"))
        .isInstanceOf(ValidationException.class);

    deliver(config("/audit").header("X-Other", "value-1").build(), SinkTestKit.loopbackContext(),
        TestEvents.event("user_created"));

    assertThat(onlyRequest().getHeaders().getHeader(HttpHeader.TOKEN_HEADER).values())
        .containsExactly(SinkTestKit.TOKEN);
  }

  @Test
  void sendsTheUserAgentOfTheSinkContext() throws Exception {
    deliver(config("/audit").build(), SinkTestKit.loopbackContext(), TestEvents.event("user_created"));

    assertThat(onlyRequest().getHeaders().getHeader("User-Agent").values()).containsExactly("audit-stream-test/1.0");
  }

  @Test
  void customUserAgentHeaderReplacesTheDefaultOne() throws Exception {
    deliver(config("/audit").header("User-Agent", "acme-siem-forwarder").build(), SinkTestKit.loopbackContext(),
        TestEvents.event("user_created"));

    assertThat(onlyRequest().getHeaders().getHeader("User-Agent").values()).containsExactly("acme-siem-forwarder");
  }

  @Test
  void keepsTheQueryStringOfTheDestinationUrl() throws Exception {
    deliver(config("/audit?source=gitlab&key=k-1").build(), SinkTestKit.loopbackContext(),
        TestEvents.event("user_created"));

    server.verify(1, postRequestedFor(urlEqualTo("/audit?source=gitlab&key=k-1")));
  }

  @Test
  void sendsOneEventPerRequest() throws Exception {
    try (Sink sink = sink(config("/audit").build(), SinkTestKit.loopbackContext())) {
      assertThat(sink.maxBatchSize()).isEqualTo(1);
      sink.deliver(List.of(TestEvents.event("first_event")));
      sink.deliver(List.of(TestEvents.event("second_event")));
    }

    assertThat(server.getAllServeEvents()).hasSize(2);
  }

  @Test
  void opensNoConnectionBeforeTheFirstDelivery() {
    try (Sink sink = sink(config("/audit").build(), SinkTestKit.loopbackContext())) {
      assertThat(sink).isNotNull();
    }

    assertThat(server.getAllServeEvents()).isEmpty();
  }

  private static HttpDestinationConfig.Builder config(String pathAndQuery) {
    return HttpDestinationConfig.builder().destinationUrl("http://127.0.0.1:" + server.getPort() + pathAndQuery);
  }

  private void deliver(HttpDestinationConfig config, SinkContext context, io.auditstream.api.sink.EncodedEvent event)
      throws Exception {
    try (Sink sink = sink(config, context)) {
      sink.deliver(List.of(event));
    }
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = server.findAll(postRequestedFor(anyUrl()));
    assertThat(requests).hasSize(1);
    assertThat(server.getAllServeEvents()).hasSize(1);
    return requests.get(0);
  }
}
