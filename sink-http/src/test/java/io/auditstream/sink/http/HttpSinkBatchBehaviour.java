package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.BatchIds;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.testing.SinkTestKit;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a destination with batching on receives, and what it gets with batching off; on a real server. */
abstract class HttpSinkBatchBehaviour extends TransportUnderTest {
  private static final HttpBatching BATCHING = new HttpBatching(50, 64 * 1024, Duration.ofMillis(20));

  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();

  private static final List<EncodedEvent> BATCH = List.of(
      TestEvents.event("evt-1", "user_created"),
      TestEvents.event("evt-2", "project_deleted"),
      TestEvents.event("evt-3", "user_created"));

  private static HttpDestinationConfig.Builder config() {
    return HttpDestinationConfig.builder().destinationUrl("http://127.0.0.1:" + server.getPort() + "/batch");
  }

  private static void answer(ResponseDefinitionBuilder response) {
    server.stubFor(any(anyUrl()).willReturn(response));
  }

  private static byte[] ndjson(List<EncodedEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (EncodedEvent e : events) {
      out.writeBytes(e.json());
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static List<LoggedRequest> requests() {
    return server.findAll(postRequestedFor(anyUrl()));
  }

  private void deliver(HttpDestinationConfig config, List<EncodedEvent> batch) throws Exception {
    try (Sink sink = sink(config, SinkTestKit.loopbackContext())) {
      sink.deliver(batch);
    }
  }

  @Test
  void postsTheWholeBatchInOneRequestAsNdjsonWithTheEventsInOrder() throws Exception {
    answer(aResponse().withStatus(200));

    deliver(config().batching(BATCHING).build(), BATCH);

    assertThat(requests()).singleElement().satisfies(r -> {
      assertThat(r.getBody()).isEqualTo(ndjson(BATCH));
      assertThat(r.getBodyAsString().split("\n")).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{\"id\":"));
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
      assertThat(r.getHeader(HttpBatching.BATCH_ID_HEADER)).isEqualTo(BatchIds.of(BATCH));
      assertThat(r.getHeader(HttpBatching.BATCH_SIZE_HEADER)).isEqualTo("3");
    });
  }

  @Test
  void deliverAsyncPostsTheSameRequestWithoutBlockingOnTheExecutor() throws Exception {
    answer(aResponse().withStatus(204));

    try (Sink sink = sink(config().batching(BATCHING).build(), SinkTestKit.loopbackContext())) {
      sink.deliverAsync(BATCH, Runnable::run).get(20, TimeUnit.SECONDS);
    }

    assertThat(requests()).singleElement().satisfies(r -> {
      assertThat(r.getBody()).isEqualTo(ndjson(BATCH));
      assertThat(r.getHeader(HttpBatching.BATCH_ID_HEADER)).isEqualTo(BatchIds.of(BATCH));
    });
  }

  @Test
  void sendsTheTokenAndActiveCustomHeadersButNoEventTypeHeaderAndNdjsonWhateverTheContentType() throws Exception {
    answer(aResponse().withStatus(200));

    deliver(config().contentType("application/json").header("Authorization", "Bearer abc123")
        .header(new HttpHeader("X-Disabled", "do-not-send", false)).batching(BATCHING).build(), BATCH);

    assertThat(requests()).singleElement().satisfies(r -> {
      assertThat(r.getHeaders().getHeader(HttpHeader.TOKEN_HEADER).values()).containsExactly(SinkTestKit.TOKEN);
      assertThat(r.getHeaders().getHeader("Authorization").values()).containsExactly("Bearer abc123");
      assertThat(r.getHeaders().getHeader("User-Agent").values()).containsExactly("audit-stream-test/1.0");
      assertThat(r.getHeaders().getHeader("Content-Type").values()).containsExactly("application/x-ndjson");
      assertThat(r.containsHeader(HttpHeader.EVENT_TYPE_HEADER)).isFalse();
      assertThat(r.containsHeader("X-Disabled")).isFalse();
    });
  }

  @Test
  void aBatchOfOneEventIsStillNdjsonWithTheBatchHeaders() throws Exception {
    answer(aResponse().withStatus(200));
    List<EncodedEvent> one = List.of(TestEvents.event("evt-9", "user_created"));

    deliver(config().batching(BATCHING).build(), one);

    assertThat(requests()).singleElement().satisfies(r -> {
      assertThat(r.getBody()).isEqualTo(ndjson(one));
      assertThat(r.getBodyAsString()).endsWith("}\n");
      assertThat(r.getHeader(HttpBatching.BATCH_ID_HEADER)).isEqualTo(BatchIds.of(one));
      assertThat(r.getHeader(HttpBatching.BATCH_SIZE_HEADER)).isEqualTo("1");
      assertThat(r.containsHeader(HttpHeader.EVENT_TYPE_HEADER)).isFalse();
    });
  }

  @Test
  void aBatchSentAgainAfterAFailureCarriesTheSameBatchIdAndBytesAndAnotherBatchAnotherId() throws Exception {
    server.stubFor(any(anyUrl()).inScenario("retry").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    server.stubFor(any(anyUrl()).inScenario("retry").whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)));
    List<EncodedEvent> other = List.of(BATCH.get(0), BATCH.get(1));

    try (Sink sink = sink(config().batching(BATCHING).build(), SinkTestKit.loopbackContext())) {
      DeliveryException failed = catchThrowableOfType(DeliveryException.class, () -> sink.deliver(BATCH));
      assertThat(failed.isRetryable()).isTrue();
      // The events encoded anew, as a restarted host reads them back from its durable store.
      sink.deliver(List.of(TestEvents.event("evt-1", "user_created"), TestEvents.event("evt-2", "project_deleted"),
          TestEvents.event("evt-3", "user_created")));
      sink.deliver(other);
    }

    List<LoggedRequest> got = requests();
    assertThat(got).hasSize(3);
    assertThat(got.get(1).getHeader(HttpBatching.BATCH_ID_HEADER))
        .isEqualTo(got.get(0).getHeader(HttpBatching.BATCH_ID_HEADER));
    assertThat(got.get(1).getBody()).isEqualTo(got.get(0).getBody());
    assertThat(got.get(2).getHeader(HttpBatching.BATCH_ID_HEADER))
        .isNotEqualTo(got.get(0).getHeader(HttpBatching.BATCH_ID_HEADER)).isEqualTo(BatchIds.of(other));
  }

  @Test
  void aRefusedBatchFailsAsASingleEventWouldWithRetryAfterHonoured() throws Exception {
    answer(aResponse().withStatus(429).withHeader("Retry-After", "7"));
    try (Sink sink = sink(config().batching(BATCHING).build(), SinkTestKit.loopbackContext())) {
      DeliveryException throttled = catchThrowableOfType(DeliveryException.class, () -> sink.deliver(BATCH));
      assertThat(throttled.isRetryable()).isTrue();
      assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(7));

      answer(aResponse().withStatus(400));
      ExecutionException refused = catchThrowableOfType(ExecutionException.class,
          () -> sink.deliverAsync(BATCH, Runnable::run).get(20, TimeUnit.SECONDS));
      assertThat(refused.getCause()).isInstanceOfSatisfying(DeliveryException.class, e -> {
        assertThat(e.isRetryable()).isFalse();
        assertThat(e).hasMessageContaining("answered HTTP 400");
      });
    }
  }

  @Test
  void theSinkTakesBatchesWithinTheConfiguredBoundsOnlyWhenBatchingIsOn() {
    try (Sink batched = sink(config().batching(BATCHING).build(), SinkTestKit.loopbackContext());
        Sink single = sink(config().build(), SinkTestKit.loopbackContext())) {
      assertThat(batched.maxBatchSize()).isEqualTo(50);
      assertThat(batched.maxBatchBytes()).isEqualTo(64 * 1024);
      assertThat(batched.batchLinger()).isEqualTo(Duration.ofMillis(20));
      assertThat(single.maxBatchSize()).isEqualTo(1);
      assertThat(single.maxBatchBytes()).isEqualTo(Long.MAX_VALUE);
      assertThat(single.batchLinger()).isEqualTo(Duration.ZERO);
    }
  }

  @Test
  void withBatchingOffEveryEventOfABatchIsAPostOfItsOwnWithItsEventType() throws Exception {
    answer(aResponse().withStatus(200));

    try (Sink sink = sink(config().build(), SinkTestKit.loopbackContext())) {
      sink.deliver(BATCH);
      sink.deliverAsync(BATCH, Runnable::run).get(20, TimeUnit.SECONDS);
    }

    List<LoggedRequest> got = requests();
    assertThat(got).hasSize(6);
    for (int i = 0; i < got.size(); i++) {
      EncodedEvent sent = BATCH.get(i % 3);
      LoggedRequest r = got.get(i);
      assertThat(r.getBody()).isEqualTo(sent.json());
      assertThat(r.getHeader(HttpHeader.EVENT_TYPE_HEADER)).isEqualTo(sent.event().eventType());
      assertThat(r.getHeader("Content-Type")).isEqualTo(HttpDestinationConfig.DEFAULT_CONTENT_TYPE);
      assertThat(r.containsHeader(HttpBatching.BATCH_ID_HEADER)).isFalse();
      assertThat(r.containsHeader(HttpBatching.BATCH_SIZE_HEADER)).isFalse();
    }
  }
}
