package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationStatus;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
import io.auditstream.testing.ResettingServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine and the HTTP sink together, against a real HTTP server. */
class HttpStreamingEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private WireMockServer server;
  private AuditStreamer streamer;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    streamer = streamer(true, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    streamer.close();
    server.stop();
  }

  private AuditStreamer streamer(boolean allowLocalNetwork, Duration requestTimeout) {
    return AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE) && group.equals("acme"))
        .allowLocalNetwork(allowLocalNetwork)
        .requestTimeout(requestTimeout)
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
            Duration.ofMillis(80), Duration.ofMillis(100)).maxAge(Duration.ofSeconds(2)).build())
        .build();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private Destination create(String path) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.http(url(path)).name(path).build());
  }

  private static AuditEvent event(String type, EntityType entityType, String path) {
    return AuditEvent.builder().eventType(type).author(1L, "Alice").entity(entityType, 5L, path).build();
  }

  private List<LoggedRequest> requests(String path) {
    return server.findAll(postRequestedFor(urlEqualTo(path)));
  }

  private static String id(LoggedRequest r) throws Exception {
    JsonNode body = JSON.readTree(r.getBodyAsString());
    return body.get("id").asText();
  }

  @Test
  void deliversGroupSubgroupAndProjectEventsWithTheVerificationToken() throws Exception {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    Destination d = create("/hook");
    String token = streamer.destinations().verificationToken(ALICE, d.id()).reveal();
    List<AuditEvent> events = List.of(
        event("group_created", EntityType.GROUP, "acme"),
        event("member_created", EntityType.GROUP, "acme/platform"),
        event("project_created", EntityType.PROJECT, "acme/platform/api"),
        event("project_created", EntityType.PROJECT, "other-group/api"));
    events.forEach(streamer::stream);

    assertThat(streamer.flush(WAIT)).isTrue();
    List<LoggedRequest> got = requests("/hook");
    assertThat(got).hasSize(3);
    for (LoggedRequest r : got) {
      assertThat(r.getHeader(HttpHeader.TOKEN_HEADER)).isEqualTo(token);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }
    assertThat(List.of(id(got.get(0)), id(got.get(1)), id(got.get(2))))
        .containsExactlyInAnyOrder(events.get(0).id(), events.get(1).id(), events.get(2).id());
    assertThat(streamer.destinations().status(ALICE, d.id()).delivered()).isEqualTo(3);
  }

  @Test
  void retriesServerErrorsAndTooManyRequestsWithTheSameIdUntilAccepted() throws Exception {
    server.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("throttled"));
    server.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("throttled")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")).willSetStateTo("ok"));
    server.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(204)));
    Destination d = create("/flaky");
    AuditEvent event = event("group_created", EntityType.GROUP, "acme");
    streamer.stream(event);

    assertThat(streamer.flush(WAIT)).isTrue();
    List<LoggedRequest> got = requests("/flaky");
    assertThat(got).hasSize(3);
    for (LoggedRequest r : got) {
      assertThat(id(r)).isEqualTo(event.id());
      assertThat(r.getBodyAsString()).isEqualTo(got.get(0).getBodyAsString());
    }
    DestinationStatus status = streamer.destinations().status(ALICE, d.id());
    assertThat(status.delivered()).isEqualTo(1);
    assertThat(status.failed()).isZero();
    assertThat(status.consecutiveFailures()).isZero();
  }

  @Test
  void retriesARequestThatTimedOut() {
    streamer.close();
    streamer = streamer(true, Duration.ofMillis(500));
    server.stubFor(post(urlEqualTo("/slow-once")).inScenario("slow").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(200).withFixedDelay(3_000)).willSetStateTo("fast"));
    server.stubFor(post(urlEqualTo("/slow-once")).inScenario("slow").whenScenarioStateIs("fast")
        .willReturn(aResponse().withStatus(200)));
    Destination d = create("/slow-once");
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(requests("/slow-once")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(streamer.destinations().status(ALICE, d.id()).delivered()).isEqualTo(1);
  }

  @Test
  void doesNotRetryOtherClientErrorsAndReportsThemOnTheStatus() {
    server.stubFor(post(urlEqualTo("/gone")).willReturn(aResponse().withStatus(404)));
    Destination d = create("/gone");
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(requests("/gone")).hasSize(1);
    DestinationStatus status = streamer.destinations().status(ALICE, d.id());
    assertThat(status.failed()).isEqualTo(1);
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("404"));
  }

  @Test
  void aSlowDestinationDoesNotDelayAnother() {
    server.stubFor(post(urlEqualTo("/stuck")).willReturn(aResponse().withStatus(200).withFixedDelay(8_000)));
    server.stubFor(post(urlEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
    create("/stuck");
    create("/fast");
    for (int i = 0; i < 5; i++) {
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    }

    Await.until(Duration.ofSeconds(6), () -> requests("/fast").size() >= 5, "5 requests to the fast destination");
    // All five reached the fast destination while the stuck one had not answered its first window (all five,
    // sent at once, or fewer if the window began before the last events came).
    assertThat(requests("/fast")).hasSize(5);
    assertThat(requests("/stuck")).hasSizeLessThanOrEqualTo(5);
  }

  @Test
  void aDestinationWhoseReceiverResetsConnectionsDoesNotDelayAnother() throws Exception {
    server.stubFor(post(urlEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
    try (ResettingServer resetting = ResettingServer.midRequest()) {
      Destination reset = streamer.destinations().create(ALICE, "acme",
          DestinationDraft.http("http://127.0.0.1:" + resetting.port() + "/hook").name("resetting").build());
      create("/fast");
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      }

      Await.until(Duration.ofSeconds(5), () -> requests("/fast").size() >= 5, "5 requests to the fast destination");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      Await.until(Duration.ofSeconds(5), () -> streamer.destinations().status(ALICE, reset.id()).lastError().isPresent(),
          "the resetting destination's last error");
      assertThat(streamer.destinations().status(ALICE, reset.id()).lastError()).hasValueSatisfying(e ->
          assertThat(e).contains("destination host 127.0.0.1:" + resetting.port()));
      assertThat(resetting.connections()).isPositive();
    }
  }

  @Test
  void sendsOnlyActiveCustomHeadersAndFollowsDestinationChanges() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    server.stubFor(post(urlEqualTo("/moved")).willReturn(aResponse().withStatus(200)));
    Destination d = create("/hook");
    streamer.destinations().updateConfig(ALICE, d.id(), HttpDestinationConfig.class,
        c -> c.toBuilder().header(HttpHeader.of("X-Active", "yes")).header(new HttpHeader("X-Inactive", "no", false))
            .build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    streamer.destinations().update(ALICE, d.id(),
        DestinationUpdate.builder().config(HttpDestinationConfig.builder().destinationUrl(url("/moved"))
            .contentType("application/json").headers(((HttpDestinationConfig) streamer.destinations()
                .get(ALICE, d.id()).config()).headers())).build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();

    LoggedRequest first = requests("/hook").get(0);
    assertThat(first.getHeader("X-Active")).isEqualTo("yes");
    assertThat(first.containsHeader("X-Inactive")).isFalse();
    assertThat(requests("/hook")).hasSize(1);
    LoggedRequest second = requests("/moved").get(0);
    assertThat(second.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(second.getHeader("X-Active")).isEqualTo("yes");
  }

  @Test
  void aTestEventReachesOnlyTheChosenDestination() throws Exception {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    server.stubFor(post(urlEqualTo("/other")).willReturn(aResponse().withStatus(200)));
    Destination d = create("/hook");
    create("/other");

    String id = streamer.destinations().sendTestEvent(ALICE, d.id());

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(requests("/hook")).singleElement().satisfies(r -> {
      assertThat(id(r)).isEqualTo(id);
      assertThat(r.getHeader(HttpHeader.EVENT_TYPE_HEADER)).isEqualTo("audit_stream_test_event");
    });
    assertThat(requests("/other")).isEmpty();
  }

  @Test
  void anInactiveDestinationReceivesNothingUntilActivated() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    Destination d = create("/hook");
    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder().active(false).build());
    streamer.stream(event("group_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(requests("/hook")).isEmpty();

    streamer.destinations().update(ALICE, d.id(), DestinationUpdate.builder().active(true).build());
    streamer.stream(event("member_created", EntityType.GROUP, "acme"));
    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(requests("/hook")).hasSize(1);
  }

  @Test
  void refusesALoopbackDestinationWhenLocalNetworkIsNotAllowed() {
    streamer.close();
    streamer = streamer(false, Duration.ofSeconds(5));

    assertThatThrownBy(() -> create("/hook"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining("allowLocalNetwork");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void neverLogsOrReportsTheTokenHeaderValuesOrUrlQuery() throws Exception {
    server.stubFor(post(urlEqualTo("/failing?key=url-secret-123")).willReturn(aResponse().withStatus(500)));
    server.stubFor(post(urlEqualTo("/refusing")).willReturn(aResponse().withStatus(401)));
    String token = "tok-never-logged-12345";
    String headerValue = "Bearer header-secret-67890";
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalErr = System.err;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      for (String path : List.of("/failing?key=url-secret-123", "/refusing")) {
        Destination d = streamer.destinations().create(ALICE, "acme",
            DestinationDraft.http(url(path)).name(path.substring(1, 5)).verificationToken(token).build());
        streamer.destinations().updateConfig(ALICE, d.id(), HttpDestinationConfig.class,
            c -> c.toBuilder().header(HttpHeader.of("Authorization", headerValue)).build());
        assertThat(d.toString()).doesNotContain(token).doesNotContain("url-secret-123");
      }
      streamer.stream(event("group_created", EntityType.GROUP, "acme"));
      assertThat(streamer.flush(WAIT)).isTrue();
    } finally {
      System.setErr(originalErr);
    }

    String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).as("the failures are logged").contains("WARN");
    assertThat(log).doesNotContain(token).doesNotContain("header-secret-67890").doesNotContain("url-secret-123");
    for (Destination d : streamer.destinations().list(ALICE, "acme")) {
      DestinationStatus status = streamer.destinations().status(ALICE, d.id());
      assertThat(status.failed()).isEqualTo(1);
      assertThat(status.lastError()).hasValueSatisfying(e ->
          assertThat(e).doesNotContain(token).doesNotContain("header-secret-67890").doesNotContain("url-secret-123"));
    }
  }
}
