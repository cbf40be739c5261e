package io.auditstream.sink.s3;

import static io.auditstream.sink.s3.TestEvents.encoded;
import static io.auditstream.sink.s3.TestEvents.event;
import static io.auditstream.testing.SinkTestKit.destination;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.auditstream.api.EntityType;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.EndlessResponseServer;
import io.auditstream.testing.SinkTestKit;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the sink reads S3's error answers that S3Proxy does not give on demand (throttling, server
 * errors, a wrong region), from a loopback HTTP server that answers as S3 does, a server that
 * never answers, and one whose error answer never ends.
 */
class S3SinkStatusTest {
  private HttpServer server;
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> errorCode = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      byte[] body = errorCode.get() == null ? new byte[0]
          : ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + errorCode.get()
              + "</Code><Message>answered by the test</Message><RequestId>r-1</RequestId></Error>")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
      exchange.sendResponseHeaders(status.get(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private S3DestinationConfig config(String endpoint) {
    return S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").bucketName("status-test").awsRegion("eu-west-1")
        .endpoint(endpoint).pathStyleAccess(true).build();
  }

  private DeliveryException answer(int httpStatus, String code) {
    status.set(httpStatus);
    errorCode.set(code);
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    try (Sink sink = new S3SinkProvider().create(destination(config(endpoint)), SinkTestKit.loopbackContext())) {
      sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
    } catch (DeliveryException e) {
      return e;
    }
    throw new AssertionError("delivery succeeded");
  }

  @Test
  void reportsThrottlingAndServerErrorsAsRetryableWithoutRetryingThemItself() {
    for (Object[] c : new Object[][] {{503, "SlowDown"}, {500, "InternalError"}, {503, "ServiceUnavailable"},
        {429, null}, {408, null}, {400, "RequestTimeout"}}) {
      DeliveryException e = answer((Integer) c[0], (String) c[1]);
      assertThat(e.isRetryable()).as(e.getMessage()).isTrue();
      assertThat(e.getMessage()).contains("status-test").contains("HTTP " + c[0]);
    }
    assertThat(requests).as("the SDK itself does not retry").hasValue(6);
  }

  @Test
  void givesUpOnOtherClientErrorsAndRedirects() {
    for (Object[] c : new Object[][] {{403, "AccessDenied"}, {404, "NoSuchBucket"}, {400, "InvalidArgument"},
        {301, "PermanentRedirect"}}) {
      DeliveryException e = answer((Integer) c[0], (String) c[1]);
      assertThat(e.isRetryable()).as(e.getMessage()).isFalse();
      assertThat(e.getMessage()).contains("status-test").contains("HTTP " + c[0]).contains((String) c[1]);
    }
    assertThat(answer(403, "AccessDenied").getMessage()).contains("AKIA****").doesNotContain("AKIAIOSFODNN7EXAMPLE");
    assertThat(answer(301, "PermanentRedirect").getMessage()).contains("another region than eu-west-1");
  }

  @Test
  void givesUpOnARequestThatIsNotAnsweredWithinTheRequestTimeoutAndRetriesIt() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket s = silent.accept()) {
          s.getInputStream().readAllBytes();
        } catch (Exception e) {
          // The test closed the socket.
        }
      }, "silent-s3");
      acceptor.setDaemon(true);
      acceptor.start();
      SinkContext context = SinkContext.builder().allowLocalNetwork(true).connectTimeout(Duration.ofSeconds(2))
          .requestTimeout(Duration.ofMillis(700)).build();

      long started = System.nanoTime();
      DeliveryException failure = null;
      try (Sink sink = new S3SinkProvider().create(destination(config("http://127.0.0.1:" + silent.getLocalPort())),
          context)) {
        sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
      } catch (DeliveryException e) {
        failure = e;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(failure).isNotNull();
      assertThat(failure.isRetryable()).isTrue();
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
  }

  /** One write to {@code endpoint}, which must fail: its failure, and how long the attempt took. */
  private Attempt attempt(String endpoint, Duration requestTimeout) {
    SinkContext context = SinkContext.builder().allowLocalNetwork(true).connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(requestTimeout).build();
    try (Sink sink = new S3SinkProvider().create(destination(config(endpoint)), context)) {
      long started = System.nanoTime();
      try {
        sink.deliver(List.of(encoded(event("group_created", EntityType.GROUP, "acme", Instant.now()))));
      } catch (DeliveryException e) {
        return new Attempt(e, Duration.ofNanos(System.nanoTime() - started));
      }
    }
    throw new AssertionError("delivery succeeded");
  }

  private record Attempt(DeliveryException failure, Duration took) {}

  /** How S3's error document begins; the message after it never ends. */
  private static final String S3_ERROR_START = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<Error><Code>InternalError</Code><Message>";

  @Test
  void stopsReadingAServerErrorWhoseBodyNeverEndsAndRetriesHoldingOnlyItsStart() throws Exception {
    try (EndlessResponseServer endless = EndlessResponseServer.floodingBody(500, "application/xml", S3_ERROR_START)) {
      Duration requestTimeout = Duration.ofSeconds(2);

      Attempt attempt = attempt(endless.url(""), requestTimeout);

      assertThat(attempt.failure().isRetryable()).isTrue();
      assertThat(attempt.failure()).hasMessageStartingWith("S3 bucket status-test at " + endless.url("")
          .substring("http://".length()) + " answered HTTP 500");
      assertThat(attempt.took()).isLessThan(requestTimeout.plusSeconds(2));
      // What the sink never read it cannot hold: past the first bytes, only what socket buffers take was sent.
      assertThat(endless.sent()).as("bytes of error body sent").isLessThan(16L * 1024 * 1024);
    }
  }

  @Test
  void givesUpOnAServerErrorWhoseBodyTricklesInForeverWithinTheRequestTimeoutAndRetries() throws Exception {
    try (EndlessResponseServer endless =
        EndlessResponseServer.tricklingBody(500, "application/xml", S3_ERROR_START, Duration.ofMillis(50))) {
      Duration requestTimeout = Duration.ofSeconds(1);

      Attempt attempt = attempt(endless.url(""), requestTimeout);

      assertThat(attempt.failure().isRetryable()).isTrue();
      assertThat(attempt.failure()).hasMessageContaining("S3 bucket status-test at " + endless.url("")
          .substring("http://".length()));
      assertThat(attempt.took()).isLessThan(requestTimeout.plusSeconds(2));
    }
  }
}
