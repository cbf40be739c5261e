package io.auditstream.api.destination;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * URLs whose port is the point: at and around both ends of the range, far beyond it, empty, and
 * spelled in ways {@link java.net.URI} reads differently from a person (leading zeros, signs,
 * non-ASCII digits, beyond {@code int}).
 */
final class GeneratedUrls {
  private GeneratedUrls() {}

  static Arbitrary<String> ports() {
    return Arbitraries.oneOf(
        Arbitraries.of("0", "1", "80", "443", "65535", "65536", "99999", "", "00443", "000000", "2147483647",
            "2147483648", "99999999999", "-1", "+443", "\u0664\u0664\u0663", "44 3"),
        Arbitraries.integers().between(0, 100_000).map(String::valueOf));
  }

  /** {@code scheme://host:port} and a path, query or fragment or nothing after it. */
  static Arbitrary<String> withPorts() {
    return Combinators.combine(Arbitraries.of("https://", "http://", "HTTPS://", "ftp://"),
        Arbitraries.of("receiver.example.com", "10.0.0.1", "[::1]", "[2001:db8::7]", "localhost", "a.b", ""),
        ports(), Arbitraries.of("", "/", "/events", "/events?x=1", "#part"))
        .as((scheme, host, port, rest) -> scheme + host + ":" + port + rest);
  }
}
