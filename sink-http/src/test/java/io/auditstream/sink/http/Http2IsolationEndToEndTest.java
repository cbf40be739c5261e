package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.Await;
import io.auditstream.testing.TestCertificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Destinations of many groups on one HTTPS receiver host, which the JDK transport reaches over HTTP/2: one
 * connection carries them all, and a receiver allows only so many streams at once on it. Destinations that
 * never answer hold more streams, together, than the receiver allows on one connection; a healthy
 * destination on the same host must still get its events.
 */
class Http2IsolationEndToEndTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final TestCertificate CERTIFICATE = TestCertificate.forNames("localhost");
  /** Silent destinations, each with a full window of 16 requests: more streams than the receiver's 128. */
  private static final int SILENT = 10;
  private static final int EVENTS = 50;

  private WireMockServer server;
  private AuditStreamer streamer;

  @BeforeEach
  void start() {
    // Delays on the server's scheduler, not on its request threads: the receiver stays able to answer.
    server = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
        .keystorePath(CERTIFICATE.keyStoreFile().toString()).keystoreType("PKCS12")
        .keystorePassword(CERTIFICATE.password()).keyManagerPassword(CERTIFICATE.password())
        .asynchronousResponseEnabled(true).asynchronousResponseThreads(4));
    server.start();
    streamer = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE))
        .allowLocalNetwork(true)
        .trustedCertificates(List.of(CERTIFICATE.certificate()))
        .requestTimeout(Duration.ofSeconds(30))
        // The silent destinations' requests are abandoned at the end, not waited for.
        .closeTimeout(Duration.ofSeconds(1))
        .build();
  }

  @AfterEach
  void stop() {
    streamer.close();
    server.stop();
  }

  private Destination create(String group, String path) {
    return streamer.destinations().create(ALICE, group,
        DestinationDraft.http("https://localhost:" + server.httpsPort() + path).name(group + "-hook").build());
  }

  private void stream(String group, int count) {
    for (int i = 0; i < count; i++) {
      streamer.stream(AuditEvent.builder().eventType("project_created")
          .entity(EntityType.PROJECT, (long) i, group + "/p" + i).build());
    }
  }

  @Test
  void aHealthyDestinationGetsItsEventsBesideSilentOnesThatHoldMoreStreamsThanOneConnectionAllows() {
    server.stubFor(post(urlPathMatching("/silent/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    for (int g = 0; g < SILENT; g++) {
      create("silent" + g, "/silent/" + g);
      stream("silent" + g, 16);
    }
    Destination healthy = create("acme", "/hook");

    stream("acme", EVENTS);

    Await.until(Duration.ofSeconds(15), () -> streamer.destinations().status(ALICE, healthy.id()).delivered() == EVENTS,
        EVENTS + " events delivered to the healthy destination beside " + SILENT + " silent ones");
    assertThat(server.findAll(postRequestedFor(urlEqualTo("/hook")))).first()
        .satisfies(r -> assertThat(r.getProtocol()).isEqualTo("HTTP/2.0"));
    // Every silent destination's window is out, unanswered: more streams than one connection may carry.
    Await.until(Duration.ofSeconds(10), () -> server.findAll(postRequestedFor(urlPathMatching("/silent/.*"))).size()
        == SILENT * 16, SILENT * 16 + " requests to the silent destinations");
  }
}
