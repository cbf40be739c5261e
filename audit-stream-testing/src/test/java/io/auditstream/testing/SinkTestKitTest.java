package io.auditstream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.sink.SinkContext;
import org.junit.jupiter.api.Test;

class SinkTestKitTest {
  @Test
  void destinationIsAnActiveUnfilteredDestinationOfGroupAcmeNamedForItsKind() {
    Destination d = SinkTestKit.destination(RecordingDestinationConfig.of());

    assertThat(d.id().value()).isEqualTo("dest-test");
    assertThat(d.kind()).isEqualTo("test");
    assertThat(d.groupPath()).isEqualTo("acme");
    assertThat(d.active()).isTrue();
    assertThat(d.eventTypeFilter()).isEmpty();
    assertThat(d.verificationToken().orElseThrow().matches(SinkTestKit.TOKEN)).isTrue();
  }

  @Test
  void loopbackContextAllowsLocalNetworkWithShortTimeouts() {
    SinkContext c = SinkTestKit.loopbackContext();

    assertThat(c.allowLocalNetwork()).isTrue();
    assertThat(c.connectTimeout()).isLessThan(SinkContext.DEFAULT_CONNECT_TIMEOUT);
    assertThat(c.requestTimeout()).isLessThan(SinkContext.DEFAULT_REQUEST_TIMEOUT);
    assertThat(c.userAgent()).isEqualTo(SinkTestKit.USER_AGENT);
  }
}
