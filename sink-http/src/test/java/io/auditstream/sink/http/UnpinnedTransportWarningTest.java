package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The one warning about the JDK transport's DNS rebinding gap: logged at the first HTTP sink made on
 * it while local network destinations are refused, never again, and not at all when they are allowed.
 */
class UnpinnedTransportWarningTest {
  private static final SinkContext STRICT = SinkTestKit.loopbackContext().toBuilder().allowLocalNetwork(false)
      .allowPlainHttp(true).build();

  /** What making {@code sinks} JDK-transport sinks with {@code context} logs, with a warning of their own. */
  @SuppressWarnings("try") // each sink is made and closed for the warning that making it logs
  private static String logged(SinkContext context, int sinks) {
    UnpinnedTransportWarning warning = new UnpinnedTransportWarning(LoggerFactory.getLogger(UnpinnedTransportWarning.class));
    HttpSinkProvider provider = new HttpSinkProvider(new JdkHttpTransportProvider(), Clock.systemUTC(), warning);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (int i = 0; i < sinks; i++) {
        try (Sink sink = provider.create(SinkTestKit.destination(
            HttpDestinationConfig.of("https://audit" + i + ".receiver.example/hook")), context)) {
          // made and closed: the warning comes when the sink is made
        }
      }
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void warnsOnceAtTheFirstSinkOnTheJdkTransportWhileLocalNetworkIsRefused() {
    String log = logged(STRICT, 3);

    assertThat(log).containsOnlyOnce("DNS rebinding");
    assertThat(log).contains("WARN").contains("'jdk' transport")
        .contains("Add io.auditstream:sink-http-apache5 to the class path");
  }

  @Test
  void doesNotWarnWhenLocalNetworkDestinationsAreAllowed() {
    assertThat(logged(SinkTestKit.loopbackContext(), 2)).doesNotContain("DNS rebinding");
  }
}
