package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sinks of one provider share one transport: one client, one set of I/O threads, whatever the
 * number of destinations; closing a sink leaves it to the others. Every transport runs these.
 */
abstract class HttpTransportSharingBehaviour extends TransportUnderTest {
  private static final int SINKS = 10;

  @RegisterExtension
  static final WireMockExtension server = LoopbackServer.extension();

  /** The prefix of the transport's own thread names, followed by {@code <transport>-<thread>}. */
  abstract String threadNamePrefix();

  @BeforeEach
  void answerOk() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
  }

  private static HttpDestinationConfig destination(int i) {
    return HttpDestinationConfig.of("http://127.0.0.1:" + server.getPort() + "/audit/" + i);
  }

  @Test
  void sinksOfOneProviderShareOneTransportThatClosesWithTheLastOfThem() throws Exception {
    CountingTransportProvider counting = new CountingTransportProvider(transportProvider());
    HttpSinkProvider provider = new HttpSinkProvider(counting, Clock.systemUTC());
    List<Sink> sinks = new ArrayList<>();
    for (int i = 0; i < SINKS; i++) {
      sinks.add(provider.create(SinkTestKit.destination(destination(i)), SinkTestKit.loopbackContext()));
      sinks.get(i).deliver(List.of(TestEvents.event("user_created")));
    }
    assertThat(counting.created()).isEqualTo(1);

    sinks.get(0).close();
    for (Sink sink : sinks.subList(1, SINKS)) {
      sink.deliver(List.of(TestEvents.event("user_created")));
    }
    assertThat(counting.closed()).isZero();

    sinks.forEach(Sink::close);
    assertThat(counting.closed()).isEqualTo(1);
    assertThat(provider.openTransports()).isZero();
    assertThat(server.getAllServeEvents()).hasSize(2 * SINKS - 1);
  }

  @Test
  @SuppressWarnings("try") // two of the sinks are made and closed for what that does to the transports
  void sinksWithOtherSettingsGetATransportOfTheirOwn() throws Exception {
    CountingTransportProvider counting = new CountingTransportProvider(transportProvider());
    HttpSinkProvider provider = new HttpSinkProvider(counting, Clock.systemUTC());
    SinkContext other = SinkTestKit.loopbackContext().toBuilder().requestTimeout(Duration.ofSeconds(7)).build();

    try (Sink first = provider.create(SinkTestKit.destination(destination(1)), SinkTestKit.loopbackContext());
        Sink second = provider.create(SinkTestKit.destination(destination(2)), SinkTestKit.loopbackContext());
        Sink third = provider.create(SinkTestKit.destination(destination(3)), other)) {
      assertThat(counting.created()).isEqualTo(2);
      assertThat(provider.openTransports()).isEqualTo(2);
      third.deliver(List.of(TestEvents.event("user_created")));
    }
    assertThat(counting.closed()).isEqualTo(2);
  }

  @Test
  void manySinksRunOnTheThreadsOfOneTransportWhichAreDaemonThreadsNamedForTheLibrary() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    HttpSinkProvider provider = provider();
    List<Sink> sinks = new ArrayList<>();
    try {
      for (int i = 0; i < SINKS; i++) {
        sinks.add(provider.create(SinkTestKit.destination(destination(i)), SinkTestKit.loopbackContext()));
        sinks.get(i).deliver(List.of(TestEvents.event("user_created")));
      }
      List<Thread> started = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t)).collect(Collectors.toList());
      List<Thread> transportThreads = started.stream()
          .filter(t -> t.getName().startsWith(threadNamePrefix())).collect(Collectors.toList());

      assertThat(transportThreads).isNotEmpty().allMatch(Thread::isDaemon);
      Pattern name = Pattern.compile(Pattern.quote(threadNamePrefix()) + "(\\d+)-\\d+");
      Set<String> transports = transportThreads.stream().map(t -> {
        Matcher m = name.matcher(t.getName());
        assertThat(m.matches()).as(t.getName()).isTrue();
        return m.group(1);
      }).collect(Collectors.toSet());
      assertThat(transports).as("transports whose threads started").hasSize(1);
      // The JDK client's selector thread is not named by us; there must be one at most for all sinks.
      assertThat(started).filteredOn(t -> t.getName().endsWith("-SelectorManager")).hasSizeLessThanOrEqualTo(1);
    } finally {
      sinks.forEach(Sink::close);
    }
  }
}
