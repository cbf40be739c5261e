package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.BatchIds;
import io.auditstream.api.sink.DeliveryAttempt;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.testing.SinkTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The headers of a delivery attempt, as the engine hands them to the sink: what a real server receives
 * with each request.
 */
abstract class HttpSinkAttemptBehaviour extends TransportUnderTest {
  private static final String ATTEMPT_TOKEN = "attempt-token-0123456";
  private static final Instant TIME = Instant.parse("2026-05-01T12:00:07.900Z");
  private static final Executor DIRECT = Runnable::run;
  private static final HttpBatching BATCHING = new HttpBatching(50, 64 * 1024, Duration.ofMillis(20));

  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();

  /** What the test signer was asked to sign: id, timestamp and the body as hex. */
  private final List<String> signed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void acceptEverything() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
  }

  private DeliveryAttempt signedAttempt() {
    return DeliveryAttempt.signed(TIME, Map.of(io.auditstream.api.destination.HttpHeader.TOKEN_HEADER, ATTEMPT_TOKEN),
        (id, timestamp, body) -> {
          signed.add(id + "." + timestamp + "." + HexFormat.of().formatHex(body));
          return "v1,sig-of-" + id + " v1,old-sig-of-" + id;
        });
  }

  private static HttpDestinationConfig.Builder config() {
    return HttpDestinationConfig.builder().destinationUrl("http://127.0.0.1:" + server.getPort() + "/signed");
  }

  private void deliver(HttpDestinationConfig config, List<EncodedEvent> batch, DeliveryAttempt attempt)
      throws Exception {
    try (Sink sink = sink(config, SinkTestKit.loopbackContext())) {
      sink.deliverAsync(batch, attempt, DIRECT).get(10, TimeUnit.SECONDS);
    }
  }

  private static List<LoggedRequest> requests() {
    return server.findAll(postRequestedFor(anyUrl()));
  }

  @Test
  void sendsTheTokenOfTheAttemptAndTheSignatureHeadersOverExactlyTheBodySent() throws Exception {
    EncodedEvent event = TestEvents.event("evt-1", "user_created");

    deliver(config().build(), List.of(event), signedAttempt());

    LoggedRequest r = requests().get(0);
    assertThat(requests()).hasSize(1);
    assertThat(r.getHeader(io.auditstream.api.destination.HttpHeader.TOKEN_HEADER)).isEqualTo(ATTEMPT_TOKEN);
    assertThat(r.getHeader("webhook-id")).isEqualTo("evt-1");
    assertThat(r.getHeader("webhook-timestamp")).isEqualTo(Long.toString(TIME.getEpochSecond()));
    assertThat(r.getHeader("webhook-signature")).isEqualTo("v1,sig-of-evt-1 v1,old-sig-of-evt-1");
    assertThat(signed).containsExactly("evt-1." + TIME.getEpochSecond() + "." + HexFormat.of().formatHex(r.getBody()));
    assertThat(r.getBody()).isEqualTo(event.json());
    assertThat(r.getHeader(io.auditstream.api.destination.HttpHeader.EVENT_TYPE_HEADER)).isEqualTo("user_created");
  }

  @Test
  void signsABatchOnItsBatchIdOverTheNdjsonBodyAndKeepsTheBatchHeaders() throws Exception {
    List<EncodedEvent> batch = List.of(TestEvents.event("evt-1", "user_created"),
        TestEvents.event("evt-2", "project_deleted"));

    deliver(config().batching(BATCHING).build(), batch, signedAttempt());

    LoggedRequest r = requests().get(0);
    String id = BatchIds.of(batch);
    assertThat(r.getHeader("webhook-id")).isEqualTo(id);
    assertThat(r.getHeader(HttpBatching.BATCH_ID_HEADER)).isEqualTo(id);
    assertThat(r.getHeader(HttpBatching.BATCH_SIZE_HEADER)).isEqualTo("2");
    assertThat(r.getHeader("Content-Type")).isEqualTo(HttpBatching.CONTENT_TYPE);
    assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).endsWith("\n");
    assertThat(signed).containsExactly(id + "." + TIME.getEpochSecond() + "." + HexFormat.of().formatHex(r.getBody()));
  }

  @Test
  void keepsTheCustomHeadersAndContentTypeBesideTheAttemptHeaders() throws Exception {
    deliver(config().contentType("application/json").header("X-Team", "audit").build(),
        List.of(TestEvents.event("evt-1", "user_created")), signedAttempt());

    LoggedRequest r = requests().get(0);
    assertThat(r.getHeader("X-Team")).isEqualTo("audit");
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(r.getHeader("User-Agent")).isEqualTo(SinkTestKit.USER_AGENT);
  }

  @Test
  void anUnsignedAttemptSendsItsTokenAndNoSignatureHeaders() throws Exception {
    deliver(config().build(), List.of(TestEvents.event("evt-1", "user_created")),
        DeliveryAttempt.unsigned(TIME, Map.of(io.auditstream.api.destination.HttpHeader.TOKEN_HEADER, ATTEMPT_TOKEN)));

    LoggedRequest r = requests().get(0);
    assertThat(r.getHeader(io.auditstream.api.destination.HttpHeader.TOKEN_HEADER)).isEqualTo(ATTEMPT_TOKEN);
    assertThat(r.getHeaders().all()).extracting(HttpHeader::key).noneMatch(k -> k.toLowerCase().startsWith("webhook-"));
  }

  @Test
  void aDeliveryWithoutAnAttemptSendsTheDestinationsTokenAlone() throws Exception {
    try (Sink sink = sink(config().build(), SinkTestKit.loopbackContext())) {
      sink.deliverAsync(List.of(TestEvents.event("evt-1", "user_created")), DIRECT).get(10, TimeUnit.SECONDS);
    }

    LoggedRequest r = requests().get(0);
    assertThat(r.getHeader(io.auditstream.api.destination.HttpHeader.TOKEN_HEADER)).isEqualTo(SinkTestKit.TOKEN);
    assertThat(r.getHeaders().all()).extracting(HttpHeader::key).noneMatch(k -> k.toLowerCase().startsWith("webhook-"));
  }
}
