package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.RetryPolicy;
import io.auditstream.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A destination that is down for many retry periods, beside another group's healthy one, over real
 * HTTP: the healthy one gets every event while the other is down, and the one that was down gets
 * every event once it answers again, its backlog drained back to back.
 */
class HttpOutageEndToEndTest {
  private static final Actor OWNER = Actor.of("alice");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int EVENTS = 200;

  private WireMockServer server;
  private AuditStreamer streamer;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(OWNER))
        .allowLocalNetwork(true)
        .requestTimeout(Duration.ofSeconds(5))
        // Short steps, so that the outage below spans many of them; a maximum age far beyond it.
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40))
            .jitter(false).maxAge(Duration.ofMinutes(10)).build())
        .build();
  }

  @AfterEach
  void stop() {
    streamer.close();
    server.stop();
  }

  @Test
  void aDestinationDownForManyRetryPeriodsGetsEverythingOnceBackWhileAnotherGroupsGetsItsEventsMeanwhile() {
    server.stubFor(post(urlEqualTo("/healthy")).willReturn(aResponse().withStatus(200)));
    server.stubFor(post(urlEqualTo("/down")).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)));
    server.stubFor(post(urlEqualTo("/down")).inScenario("outage").whenScenarioStateIs("back")
        .willReturn(aResponse().withStatus(200)));
    Destination down = streamer.destinations().create(OWNER, "acme",
        DestinationDraft.http("http://127.0.0.1:" + server.port() + "/down").name("down").build());
    Destination healthy = streamer.destinations().create(OWNER, "globex",
        DestinationDraft.http("http://127.0.0.1:" + server.port() + "/healthy").name("healthy").build());

    List<AuditEvent> acme = new ArrayList<>();
    List<AuditEvent> globex = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      acme.add(event("acme"));
      globex.add(event("globex"));
      streamer.stream(acme.get(i));
      streamer.stream(globex.get(i));
    }

    // While acme's destination keeps failing, globex's receives all of its events.
    Await.until(WAIT, () -> received("/healthy").size() == EVENTS, "the healthy destination to get every event");
    assertThat(received("/healthy")).isEqualTo(ids(globex));
    Await.until(WAIT, () -> server.findAll(postRequestedFor(urlEqualTo("/down"))).size() >= 40,
        "many failed probes of the destination that is down");
    int probes = server.findAll(postRequestedFor(urlEqualTo("/down"))).size();
    assertThat(streamer.destinations().status(OWNER, down.id()).pending()).isEqualTo(EVENTS);
    assertThat(streamer.destinations().status(OWNER, down.id()).consecutiveFailures()).isGreaterThanOrEqualTo(20);

    server.setScenarioState("outage", "back");

    assertThat(streamer.flush(WAIT)).isTrue();
    assertThat(received("/down")).isEqualTo(ids(acme));
    assertThat(streamer.destinations().status(OWNER, down.id()).delivered()).isEqualTo(EVENTS);
    assertThat(streamer.destinations().status(OWNER, down.id()).failed()).isZero();
    assertThat(streamer.destinations().status(OWNER, healthy.id()).dropped()).isZero();
    // While it was down: one window (the oldest events, at most its 16 in flight) before the first failure
    // came back, then one request at a time, each for the oldest event alone.
    int window = AuditStreamer.DEFAULT_MAX_IN_FLIGHT_PER_DESTINATION;
    List<String> downRequests = server.findAll(postRequestedFor(urlEqualTo("/down"))).subList(0, probes).stream()
        .map(r -> id(r.getBodyAsString())).toList();
    assertThat(downRequests.subList(0, window)).isSubsetOf(ids(acme.subList(0, window)));
    assertThat(downRequests.subList(window, probes)).containsOnly(acme.get(0).id());
  }

  private static AuditEvent event(String group) {
    return AuditEvent.builder().eventType("group_created").entity(EntityType.GROUP, 1L, group).build();
  }

  /** The ids of the events a path received with success. */
  private Set<String> received(String path) {
    return server.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == 200)
        .map(e -> id(e.getRequest().getBodyAsString()))
        .collect(Collectors.toSet());
  }

  private static Set<String> ids(List<AuditEvent> events) {
    return events.stream().map(AuditEvent::id).collect(Collectors.toSet());
  }

  private static String id(String body) {
    try {
      return JSON.readTree(body).get("id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
