package io.auditstream.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The README's curl session against the Spring demo: create a destination, stream events, read its status. */
@SpringBootTest(properties = {"audit-stream.allow-local-network=true", "audit-stream.allow-plain-http=true",
    "management.endpoints.web.exposure.include=health,metrics"})
@AutoConfigureMockMvc
class SpringDemoApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path data;

  private static HttpServer receiver;
  private static final AtomicInteger received = new AtomicInteger();

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("audit-stream.store.data-dir", () -> data.toString());
  }

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      received.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.stop(0);
  }

  @Autowired
  MockMvc mvc;

  private Map<?, ?> call(MockHttpServletRequestBuilder request, int status) throws Exception {
    MockHttpServletResponse r = mvc.perform(request).andReturn().getResponse();
    assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(status);
    return JSON.readValue(r.getContentAsString(), Map.class);
  }

  @Test
  void aliceCreatesADestinationStreamsEventsAndReadsItsStatus() throws Exception {
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    Map<?, ?> created = call(post("/audit-stream/groups/acme/destinations").header("X-Demo-Actor", "alice")
        .contentType(MediaType.APPLICATION_JSON)
        .content("{\"name\":\"siem\",\"category\":\"http\",\"config\":{\"url\":\"" + url + "\"}}"), 201);
    String id = (String) created.get("id");

    Map<?, ?> streamed = call(post("/demo/events?count=3"), 200);
    assertThat(streamed.get("streamed")).isEqualTo(3);

    long end = System.nanoTime() + 20_000_000_000L;
    Map<?, ?> status;
    do {
      Thread.sleep(50);
      status = call(get("/audit-stream/destinations/" + id + "/status").header("X-Demo-Actor", "alice"), 200);
    } while (((Number) status.get("delivered")).intValue() < 3 && System.nanoTime() < end);
    assertThat(status.get("delivered")).isEqualTo(3);
    assertThat(received.get()).isGreaterThanOrEqualTo(3);

    call(get("/audit-stream/destinations/" + id + "/status").header("X-Demo-Actor", "bob"), 404);
    Map<?, ?> health = call(get("/actuator/health"), 200);
    assertThat(health.get("status")).isEqualTo("UP");
    Map<?, ?> accepted = call(get("/actuator/metrics/audit.stream.events.accepted"), 200);
    assertThat(accepted.get("name")).isEqualTo("audit.stream.events.accepted");
  }

  @Test
  void aCountOutOfRangeIsRefusedWithAProblem() throws Exception {
    Map<?, ?> problem = call(post("/demo/events?count=0"), 400);
    assertThat((String) problem.get("detail")).contains("count must be 1 to");
  }
}
