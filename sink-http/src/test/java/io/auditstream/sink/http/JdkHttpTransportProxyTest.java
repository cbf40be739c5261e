package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.testing.SinkTestKit;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whether the JDK transport asks the JVM's proxy settings: a proxy resolves the destination's name itself,
 * after the sink's check, so while local network destinations are refused requests must go directly.
 */
class JdkHttpTransportProxyTest {
  @RegisterExtension
  static final WireMockExtension RECEIVER = LoopbackServer.extension();

  /** The JVM's proxy settings as the test sees them: it answers "no proxy" and records every question. */
  private final RecordingProxySelector jvmProxies = new RecordingProxySelector();
  private ProxySelector original;

  @BeforeEach
  void installRecordingProxySelector() {
    original = ProxySelector.getDefault();
    ProxySelector.setDefault(jvmProxies);
    RECEIVER.stubFor(post(urlEqualTo("/hook")).willReturn(ok()));
  }

  @AfterEach
  void restoreProxySelector() {
    ProxySelector.setDefault(original);
  }

  private int send(SinkContext context) throws Exception {
    HttpTransport transport = new JdkHttpTransportProvider().create(context);
    try {
      HttpTransportRequest request = new HttpTransportRequest("POST", URI.create(RECEIVER.url("/hook")), Map.of(),
          "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
      return transport.send(request).get(20, TimeUnit.SECONDS).statusCode();
    } finally {
      transport.close();
    }
  }

  @Test
  void goesDirectlyWithoutAskingTheJvmsProxySettingsWhileLocalNetworkIsRefused() throws Exception {
    SinkContext strict = SinkTestKit.loopbackContext().toBuilder().allowLocalNetwork(false).allowPlainHttp(true).build();

    assertThat(send(strict)).isEqualTo(200);

    assertThat(jvmProxies.asked).isEmpty();
    RECEIVER.verify(1, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void usesTheJvmsProxySettingsWhenLocalNetworkIsAllowed() throws Exception {
    assertThat(send(SinkTestKit.loopbackContext())).isEqualTo(200);

    assertThat(jvmProxies.asked).contains(URI.create(RECEIVER.url("/hook")));
  }

  private static final class RecordingProxySelector extends ProxySelector {
    final List<URI> asked = new CopyOnWriteArrayList<>();

    @Override
    public List<Proxy> select(URI uri) {
      asked.add(uri);
      return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
      // Nothing to learn: the selector never names a proxy.
    }
  }
}
