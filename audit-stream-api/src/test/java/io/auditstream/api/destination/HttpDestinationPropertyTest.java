package io.auditstream.api.destination;

import static io.auditstream.api.ValidationOutcome.acceptedOrRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.GeneratedText;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every generated setting of an HTTP destination is either accepted, and then survives the kind's
 * encode and decode and {@code toBuilder()} unchanged and (for what is sent) is sendable text that the
 * JDK's HTTP client takes as it is, or refused with a {@link io.auditstream.api.ValidationException}
 * naming the field.
 */
class HttpDestinationPropertyTest {
  private static final DestinationKind<HttpDestinationConfig> KIND = HttpDestinationConfig.DESTINATION_KIND;
  private static final String URL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.-/:?=&%_~";
  private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
  private static final String VALUE_CHARS = TOKEN_CHARS + " \t\"(),/:;<=>?@[]{}\\";

  private static void roundTrips(HttpDestinationConfig c) {
    assertThat(KIND.decode(KIND.encode(c))).isEqualTo(c);
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Provide
  Arbitrary<String> urls() {
    return Arbitraries.oneOf(GeneratedText.after("https://", URL_CHARS, 270),
        GeneratedText.after("http://receiver.example.com", URL_CHARS, 40), GeneratedText.near(URL_CHARS, 60),
        GeneratedUrls.withPorts(), Arbitraries.just(null));
  }

  @Property
  void destinationUrlIsAcceptedUnchangedAndSendableOrRefusedNamingIt(@ForAll("urls") String url) {
    acceptedOrRefused("destinationUrl", () -> HttpDestinationConfig.builder().destinationUrl(url).build(), c -> {
      assertThat(c.destinationUrl()).isEqualTo(url);
      assertThat(c.uri()).isEqualTo(java.net.URI.create(url));
      JdkSending.assertUrlCanBeSent(url);
      roundTrips(c);
    });
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.oneOf(GeneratedText.after("application/", TOKEN_CHARS, 30),
        GeneratedText.after("text/plain; charset=", VALUE_CHARS, 30), GeneratedText.near(VALUE_CHARS + "/;=", 300));
  }

  @Property
  void contentTypeIsAcceptedAsSendableTextOrRefusedNamingIt(@ForAll("contentTypes") String contentType) {
    acceptedOrRefused("contentType",
        () -> HttpDestinationConfig.builder().destinationUrl("https://receiver.example.com/events")
            .contentType(contentType).build(),
        c -> {
          assertThat(c.contentType()).isEqualTo(contentType);
          assertThat(HeaderText.isSendable(contentType)).isTrue();
          JdkSending.assertHeaderCanBeSent("Content-Type", contentType);
          roundTrips(c);
        });
  }

  @Provide
  Arbitrary<String> headerKeys() {
    return Arbitraries.oneOf(GeneratedText.near(TOKEN_CHARS, 270),
        Arbitraries.of("webhook-id", "WEBHOOK-Signature", "webhook-timestamp", "Content-Type", "host",
            "X-Gitlab-Event-Streaming-Token", "x-gitlab-audit-event-type", "Authorization"),
        // What the JDK's client refuses to send, and connection-level names HTTP/2 forbids, in any case.
        Arbitraries.of("Connection", "content-length", "Expect", "HOST", "upgrade", "Keep-Alive", "TE",
            "Transfer-Encoding", "proxy-connection", "Date", "Via", "Warning", "From", "Origin", "Referer"));
  }

  @Provide
  Arbitrary<String> headerValues() {
    return GeneratedText.near(VALUE_CHARS, 2010);
  }

  @Property
  void headerKeyValueAndActiveAreAcceptedAsSendableOrRefusedNamingTheField(
      @ForAll("headerKeys") String key, @ForAll("headerValues") String value, @ForAll boolean active) {
    acceptedOrRefused("headers[0]",
        () -> HttpDestinationConfig.builder().destinationUrl("https://receiver.example.com/events")
            .header(key, value, active).build(),
        c -> {
          HttpHeader h = c.headers().get(0);
          assertThat(h).isEqualTo(new HttpHeader(key, value, active));
          assertThat(HeaderText.isSendable(h.key())).isTrue();
          assertThat(HeaderText.isSendable(h.value())).isTrue();
          assertThat(h.key().toLowerCase(java.util.Locale.ROOT)).doesNotStartWith("webhook-");
          JdkSending.assertHeaderCanBeSent(h.key(), h.value());
          roundTrips(c);
        });
    acceptedOrRefused(f -> f.equals("key") || f.equals("value"), "header", () -> new HttpHeader(key, value, active),
        h -> {
          assertThat(h.value()).isEqualTo(value);
          JdkSending.assertHeaderCanBeSent(h.key(), h.value());
        });
  }

  @Property
  void batchingIsAcceptedAndRoundTripsOrRefusedNamingTheField(@ForAll("maxEvents") int maxEvents,
      @ForAll("maxBytes") long maxBytes, @ForAll("lingers") Duration linger) {
    acceptedOrRefused("batching", () -> new HttpBatching(maxEvents, maxBytes, linger), batching -> {
      HttpDestinationConfig c = HttpDestinationConfig.builder().destinationUrl("https://receiver.example.com/events")
          .batching(batching).build();
      assertThat(c.batching()).contains(new HttpBatching(maxEvents, maxBytes, linger));
      roundTrips(c);
    });
  }

  @Provide
  Arbitrary<Integer> maxEvents() {
    return Arbitraries.oneOf(Arbitraries.integers().between(HttpBatching.MIN_EVENTS - 3, HttpBatching.MAX_EVENTS + 3),
        Arbitraries.integers());
  }

  @Provide
  Arbitrary<Long> maxBytes() {
    return Arbitraries.oneOf(Arbitraries.longs().between(HttpBatching.MIN_BYTES - 3, HttpBatching.MAX_BYTES + 3),
        Arbitraries.longs());
  }

  @Provide
  Arbitrary<Duration> lingers() {
    return Arbitraries.oneOf(Arbitraries.longs().between(-1000, 12_000).map(Duration::ofMillis),
        Arbitraries.longs().map(Duration::ofNanos), Arbitraries.just(null),
        Arbitraries.longs().between(-Long.MAX_VALUE / 2, Long.MAX_VALUE / 2).map(Duration::ofSeconds));
  }
}
