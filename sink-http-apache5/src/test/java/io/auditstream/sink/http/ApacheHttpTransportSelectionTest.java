package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** With this module on the class path, HTTP destinations use Apache HttpClient 5 unless the host says otherwise. */
class ApacheHttpTransportSelectionTest {
  @Test
  void isFoundByServiceLoader() {
    assertThat(ServiceLoader.load(HttpTransportProvider.class).stream().map(ServiceLoader.Provider::get))
        .singleElement().isInstanceOf(ApacheHttpTransportProvider.class);
  }

  @Test
  void winsOverTheJdkDefaultWhenOnTheClassPath() {
    assertThat(new HttpSinkProvider().transportProvider()).isInstanceOf(ApacheHttpTransportProvider.class);
  }

  @Test
  void theTransportTheHostGivesWinsOverTheClassPath() {
    JdkHttpTransportProvider jdk = new JdkHttpTransportProvider();

    assertThat(new HttpSinkProvider(jdk).transportProvider()).isSameAs(jdk);
  }

  @Test
  void givesNoRebindingWarningSinceItConnectsOnlyToCheckedAddresses() {
    UnpinnedTransportWarning warning = new UnpinnedTransportWarning(
        org.slf4j.LoggerFactory.getLogger(UnpinnedTransportWarning.class));
    io.auditstream.api.sink.SinkContext strict = io.auditstream.testing.SinkTestKit.loopbackContext().toBuilder()
        .allowLocalNetwork(false).build();
    HttpTransport transport = new ApacheHttpTransportProvider().create(strict);
    try {
      assertThat(warning.warnIfUnpinned(false, transport, "apache5")).isFalse();
    } finally {
      transport.close();
    }
  }
}
