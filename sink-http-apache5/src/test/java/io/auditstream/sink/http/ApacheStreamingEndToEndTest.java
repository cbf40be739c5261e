package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine with sink-http and this module on the class path: HTTP destinations go through Apache HttpClient 5. */
class ApacheStreamingEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int EVENTS = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireMockServer server;
  private AuditStreamer streamer;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE))
        .allowLocalNetwork(true)
        .build();
  }

  @AfterEach
  void stop() {
    streamer.close();
    server.stop();
  }

  private static String id(LoggedRequest r) {
    try {
      return JSON.readTree(r.getBodyAsString()).get("id").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void deliversEveryEventWithItsTokenThroughTheApacheTransportFoundOnTheClassPath() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    Destination d = streamer.destinations().create(ALICE, "acme",
        DestinationDraft.http("http://127.0.0.1:" + server.port() + "/hook").name("siem").build());
    String token = streamer.destinations().verificationToken(ALICE, d.id()).reveal();

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      AuditEvent event = AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, (long) i, "acme/p" + i)
          .build();
      ids.add(event.id());
      assertThat(streamer.stream(event)).isTrue();
    }

    assertThat(streamer.flush(WAIT)).isTrue();
    List<LoggedRequest> got = server.findAll(postRequestedFor(urlEqualTo("/hook")));
    assertThat(got).hasSize(EVENTS).allSatisfy(r -> assertThat(r.getHeader(HttpHeader.TOKEN_HEADER)).isEqualTo(token));
    assertThat(got).extracting(ApacheStreamingEndToEndTest::id).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(streamer.destinations().status(ALICE, d.id()).delivered()).isEqualTo(EVENTS);
    assertThat(Thread.getAllStackTraces().keySet())
        .anyMatch(t -> t.getName().startsWith("audit-stream-http-apache5-"));
  }

  @Test
  void aDestinationThatNeverAnswersDoesNotDelayAnotherGroupsOnTheSameReceiverHost() {
    // Both paths on one host and port: the transport's connection pool must not let the silent one's
    // requests hold what the other needs.
    server.stubFor(post(urlEqualTo("/silent")).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    streamer.destinations().create(ALICE, "beta",
        DestinationDraft.http("http://127.0.0.1:" + server.port() + "/silent").name("silent").build());
    Destination healthy = streamer.destinations().create(ALICE, "acme",
        DestinationDraft.http("http://127.0.0.1:" + server.port() + "/hook").name("siem").build());

    for (int i = 0; i < 2 * EVENTS; i++) {
      String group = i % 2 == 0 ? "beta" : "acme";
      streamer.stream(AuditEvent.builder().eventType("project_created")
          .entity(EntityType.PROJECT, (long) i, group + "/p" + i).build());
    }

    Await.until(Duration.ofSeconds(10), () -> streamer.destinations().status(ALICE, healthy.id()).delivered() == EVENTS,
        EVENTS + " events delivered to the healthy destination while the silent one has answered none");
    assertThat(server.findAll(postRequestedFor(urlEqualTo("/hook")))).hasSize(EVENTS);
  }
}
