package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;
import io.auditstream.testing.SinkTestKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HttpTransportSharingBehaviour} on Apache HttpClient 5: one I/O reactor for all sinks. */
class ApacheHttpTransportSharingTest extends HttpTransportSharingBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }

  @Override
  String threadNamePrefix() {
    return "audit-stream-http-apache5-";
  }

  @Test
  void startsNoThreadUnderTheClientLibrarysOwnNames() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (Sink sink = sink(HttpDestinationConfig.of("http://127.0.0.1:" + server.getPort() + "/audit"),
        SinkTestKit.loopbackContext())) {
      sink.deliver(List.of(TestEvents.event("user_created")));

      assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> !before.contains(t))
          .noneMatch(t -> t.getName().startsWith("httpclient") || t.getName().contains("evictor"))
          .anyMatch(t -> t.getName().startsWith(threadNamePrefix()));
    }
  }

  @Test
  void closingTheTransportLogsNoErrorWhileRequestsAreInFlight() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int round = 0; round < 20; round++) {
        Sink sink = sink(HttpDestinationConfig.of("http://127.0.0.1:" + server.getPort() + "/audit"),
            SinkTestKit.loopbackContext());
        CompletableFuture<Void> inFlight = sink.deliverAsync(
            List.of(TestEvents.event("user_created")), Runnable::run);
        sink.close();
        inFlight.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
      }
      // The reactor's threads report what closing interrupted after close() returns.
      Thread.sleep(200);
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR");
  }
}
