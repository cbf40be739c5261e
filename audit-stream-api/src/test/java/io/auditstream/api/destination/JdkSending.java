package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;

/**
 * What the JDK's HTTP client takes. A URL or header that passed validation but that this client refuses
 * would fail every delivery for good, so accepted values are held to it. The client takes any port
 * {@link URI} parses and fails only when it connects, so the port range is checked here too.
 */
final class JdkSending {
  private static final URI RECEIVER = URI.create("https://receiver.example.com/events");

  private JdkSending() {}

  /** {@code url} parses, has no port or one from 1 to 65535, and starts a request of the JDK's client. */
  static void assertUrlCanBeSent(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new AssertionError("an accepted URL does not parse: " + e.getMessage(), e);
    }
    assertThat(uri.getPort()).as("port of an accepted URL").satisfiesAnyOf(
        p -> assertThat(p).isEqualTo(-1), p -> assertThat(p).isBetween(1, 65535));
    assertThat(uri.getHost()).as("host of an accepted URL").isNotEmpty();
    assertThatCode(() -> HttpRequest.newBuilder(uri).build()).doesNotThrowAnyException();
  }

  /** The JDK's client takes {@code key: value} as a request header. */
  static void assertHeaderCanBeSent(String key, String value) {
    assertThatCode(() -> HttpRequest.newBuilder(RECEIVER).header(key, value).build()).doesNotThrowAnyException();
  }
}
