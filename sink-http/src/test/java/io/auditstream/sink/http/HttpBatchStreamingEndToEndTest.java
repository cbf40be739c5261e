package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpBatching;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.BatchIds;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine and the HTTP sink with batching on, against a real HTTP server. */
class HttpBatchStreamingEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int EVENTS = 500;
  private static final int MAX_EVENTS = 50;

  private WireMockServer server;
  private AuditStreamer streamer;
  private final Map<String, AuditEvent> streamed = new HashMap<>();

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .allowLocalNetwork(true)
        .requestTimeout(Duration.ofSeconds(10))
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40))
            .maxAge(Duration.ofSeconds(20)).build())
        .build();
  }

  @AfterEach
  void stop() {
    streamer.close();
    server.stop();
  }

  private Destination create(String path, HttpBatching batching) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(HttpDestinationConfig.builder()
        .destinationUrl("http://127.0.0.1:" + server.port() + path).batching(batching)).name(path).build());
  }

  private List<String> stream(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AuditEvent event = AuditEvent.builder().eventType(i % 2 == 0 ? "project_created" : "member_created")
          .entity(EntityType.PROJECT, (long) i, "acme/p" + i).build();
      streamed.put(event.id(), event);
      ids.add(event.id());
      assertThat(streamer.stream(event)).isTrue();
    }
    return ids;
  }

  private static List<String> lines(LoggedRequest r) {
    String body = r.getBodyAsString();
    assertThat(body).endsWith("\n");
    return List.of(body.substring(0, body.length() - 1).split("\n", -1));
  }

  private static String id(String json) {
    try {
      return JSON.readTree(json).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids of a batch request's events in body order, after checking its batch headers against them. */
  private List<String> checkedBatch(LoggedRequest r) {
    List<String> ids = lines(r).stream().map(HttpBatchStreamingEndToEndTest::id).toList();
    List<EncodedEvent> events = ids.stream().map(id -> new EncodedEvent(streamed.get(id), new byte[0])).toList();
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(r.getHeader(HttpBatching.BATCH_SIZE_HEADER)).isEqualTo(Integer.toString(ids.size()));
    assertThat(r.getHeader(HttpBatching.BATCH_ID_HEADER)).isEqualTo(BatchIds.of(events));
    assertThat(r.getHeader(HttpHeader.TOKEN_HEADER)).isNotBlank();
    assertThat(r.containsHeader(HttpHeader.EVENT_TYPE_HEADER)).isFalse();
    return ids;
  }

  @Test
  void streamsEveryEventExactlyOnceInNdjsonPostsOfAtMostMaxEvents() {
    // A receiver that takes its time, so that events pile up behind the first requests and share POSTs.
    server.stubFor(post(urlEqualTo("/batch")).willReturn(aResponse().withStatus(200).withFixedDelay(100)));
    Destination d = create("/batch", new HttpBatching(MAX_EVENTS, 1024 * 1024, Duration.ZERO));

    List<String> ids = stream(EVENTS);

    assertThat(streamer.flush(WAIT)).isTrue();
    List<LoggedRequest> got = server.findAll(postRequestedFor(urlEqualTo("/batch")));
    List<String> received = new ArrayList<>();
    for (LoggedRequest r : got) {
      List<String> batch = checkedBatch(r);
      assertThat(batch).hasSizeBetween(1, MAX_EVENTS);
      received.addAll(batch);
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(got).as("POSTs carrying several events").hasSizeLessThan(EVENTS);
    assertThat(streamer.destinations().status(ALICE, d.id()).delivered()).isEqualTo(EVENTS);
  }

  @Test
  void aBatchThatFailedIsRetriedWithTheSameIdAndBodyAndEveryEventIsAcceptedExactlyOnce() {
    server.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    server.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(200)));
    Destination d = create("/flaky", new HttpBatching(MAX_EVENTS, 1024 * 1024, Duration.ZERO));

    List<String> ids = stream(200);

    assertThat(streamer.flush(WAIT)).isTrue();
    List<String> accepted = new ArrayList<>();
    List<LoggedRequest> refused = new ArrayList<>();
    List<LoggedRequest> delivered = new ArrayList<>();
    for (ServeEvent e : server.getAllServeEvents()) {
      List<String> batch = checkedBatch(e.getRequest());
      if (e.getResponse().getStatus() == 200) {
        accepted.addAll(batch);
        delivered.add(e.getRequest());
      } else {
        refused.add(e.getRequest());
      }
    }
    // Batches in flight together may all meet the scenario's first state: one or more are refused.
    assertThat(refused).isNotEmpty();
    // Each retry carries exactly the events of the attempt that failed, whatever was pending by then.
    for (LoggedRequest failed : refused) {
      String failedId = failed.getHeader(HttpBatching.BATCH_ID_HEADER);
      assertThat(delivered).filteredOn(r -> failedId.equals(r.getHeader(HttpBatching.BATCH_ID_HEADER)))
          .singleElement().satisfies(r -> assertThat(r.getBody()).isEqualTo(failed.getBody()));
    }
    assertThat(accepted).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(streamer.destinations().status(ALICE, d.id()).delivered()).isEqualTo(200);
  }

  @Test
  void turningBatchingOnForAnExistingDestinationSwitchesItFromSingleEventsToNdjson() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    Destination d = create("/hook", null);
    String single = stream(1).get(0);
    assertThat(streamer.flush(WAIT)).isTrue();

    streamer.destinations().updateConfig(ALICE, d.id(), HttpDestinationConfig.class,
        c -> c.toBuilder().batching(HttpBatching.defaults().withLinger(Duration.ZERO)).build());
    List<String> batched = stream(20);
    assertThat(streamer.flush(WAIT)).isTrue();

    assertThat(((HttpDestinationConfig) streamer.destinations().get(ALICE, d.id()).config()).batching())
        .contains(HttpBatching.defaults().withLinger(Duration.ZERO));
    List<LoggedRequest> got = server.findAll(postRequestedFor(urlEqualTo("/hook")));
    LoggedRequest first = got.get(0);
    assertThat(id(first.getBodyAsString())).isEqualTo(single);
    assertThat(first.getHeader(HttpHeader.EVENT_TYPE_HEADER)).isEqualTo("project_created");
    assertThat(first.containsHeader(HttpBatching.BATCH_ID_HEADER)).isFalse();
    List<String> received = new ArrayList<>();
    for (LoggedRequest r : got.subList(1, got.size())) {
      received.addAll(checkedBatch(r));
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(batched);
  }
}
