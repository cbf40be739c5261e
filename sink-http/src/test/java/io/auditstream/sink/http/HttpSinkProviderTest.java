package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.testing.SinkTestKit;
import io.auditstream.testing.TestHostResolver;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class HttpSinkProviderTest {

  @Test
  void isFoundByServiceLoaderForKindHttp() {
    assertThat(ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get))
        .filteredOn(p -> p.kind().equals("http"))
        .singleElement()
        .isInstanceOf(HttpSinkProvider.class);
  }

  @Test
  void usesTheJdkTransportWhenNoOtherIsOnTheClassPath() {
    assertThat(new HttpSinkProvider().transportProvider()).isInstanceOf(JdkHttpTransportProvider.class);
  }

  @Test
  @SuppressWarnings("try") // the sink is made and closed for what that does to the transport
  void usesTheTransportTheHostGaveAndCreatesItOnlyForTheFirstSink() {
    CountingTransportProvider given = new CountingTransportProvider(new JdkHttpTransportProvider());
    HttpSinkProvider provider = new HttpSinkProvider(given);
    assertThat(provider.transportProvider()).isSameAs(given);
    assertThat(given.created()).isZero();

    try (Sink sink = provider.create(SinkTestKit.destination(HttpDestinationConfig.of("https://receiver.invalid/a")),
        SinkContext.defaults())) {
      assertThat(given.created()).isEqualTo(1);
    }
    assertThat(given.closed()).isEqualTo(1);
  }

  @Test
  void acceptsHttpConfigsWithoutLookingUpTheirHost() {
    // A name that cannot resolve: validation must not depend on DNS.
    HttpDestinationConfig config = HttpDestinationConfig.of("https://receiver.invalid/audit");

    assertThatCode(() -> new HttpSinkProvider().validate(config,
        SinkContext.builder().hostResolver(host -> java.util.List.of()).build())).doesNotThrowAnyException();
  }

  @Test
  void refusesConfigsOfAnotherKind() {
    DestinationConfig other = io.auditstream.testing.RecordingDestinationConfig.of();

    assertThatThrownBy(() -> new HttpSinkProvider().validate(other, SinkContext.defaults()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"))
        .hasMessageContaining("kind 'test'");
  }

  @Test
  void createsASinkWithoutNetworkAccess() {
    HttpDestinationConfig config = HttpDestinationConfig.of("https://receiver.invalid/audit?key=abc");

    try (Sink sink = new HttpSinkProvider().create(SinkTestKit.destination(config), SinkContext.defaults())) {
      assertThat(sink.maxBatchSize()).isEqualTo(1);
      assertThat(sink.toString()).isEqualTo("HttpSink{host=receiver.invalid, closed=false}");
    }
  }

  @Test
  void refusesLoopbackAndPrivateHostsWhenSavedUnlessLocalNetworkIsAllowed() {
    HttpSinkProvider provider = new HttpSinkProvider();
    SinkContext strict = SinkContext.defaults();
    SinkContext permissive = SinkContext.builder().allowLocalNetwork(true).build();

    for (String url : new String[] {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook",
        "https://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data"}) {
      HttpDestinationConfig config = HttpDestinationConfig.of(url);
      assertThatThrownBy(() -> provider.validate(config, strict))
          .as(url)
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
          .hasMessageContaining("allowLocalNetwork");
      assertThatCode(() -> provider.validate(config, permissive)).as(url).doesNotThrowAnyException();
    }
  }

  @Test
  void acceptsPublicAddressesAndUnresolvableNamesWhenSaved() {
    HttpSinkProvider provider = new HttpSinkProvider();
    // No DNS: the fake resolver knows no name.
    SinkContext strict = SinkContext.builder().hostResolver(TestHostResolver.create()).build();

    // Literal public addresses need no lookup; a name that does not resolve now is checked per request.
    assertThatCode(() -> provider.validate(HttpDestinationConfig.of("https://8.8.8.8/hook"), strict))
        .doesNotThrowAnyException();
    assertThatCode(() -> provider.validate(HttpDestinationConfig.of("https://receiver.invalid/hook"), strict))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesPlainHttpWhenSavedUnlessTheStreamerAllowsIt() {
    HttpSinkProvider provider = new HttpSinkProvider();
    HttpDestinationConfig plain = HttpDestinationConfig.of("http://8.8.8.8/hook?key=abc");

    assertThatThrownBy(() -> provider.validate(plain, SinkContext.defaults()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("destinationUrl"))
        .hasMessage("destinationUrl must use https: the verification token and headers would travel in clear over"
            + " http to 8.8.8.8; plain http is refused unless the streamer is built with allowPlainHttp(true)"
            + " (or allowLocalNetwork(true), for receivers on the local network)");
    assertThatCode(() -> provider.validate(plain, SinkContext.builder().allowPlainHttp(true).build()))
        .doesNotThrowAnyException();
    assertThatCode(() -> provider.validate(HttpDestinationConfig.of("https://8.8.8.8/hook"), SinkContext.defaults()))
        .doesNotThrowAnyException();
  }

  @Test
  void aPlainHttpDestinationSavedUnderOtherSettingsFailsForGoodWithoutSending() {
    HttpDestinationConfig plain = HttpDestinationConfig.of("http://8.8.8.8:9/hook");
    CountingTransportProvider transports = new CountingTransportProvider(new JdkHttpTransportProvider());

    try (Sink sink = new HttpSinkProvider(transports).create(SinkTestKit.destination(plain), SinkContext.defaults())) {
      assertThatThrownBy(() -> sink.deliver(java.util.List.of(TestEvents.event("user_created"))))
          .isInstanceOfSatisfying(io.auditstream.api.sink.DeliveryException.class,
              e -> assertThat(e.isRetryable()).isFalse())
          .hasMessageStartingWith("destinationUrl must use https")
          .hasMessageNotContaining(SinkTestKit.TOKEN);
    }
    assertThat(transports.sent()).isZero();
  }
}
