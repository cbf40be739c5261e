package io.auditstream.api.sink;

import java.util.Optional;

/**
 * Hosts spelled as numbers. {@code inet_aton}, and the URL parsers of browsers, curl and many proxies
 * after it, read {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1} and {@code
 * 012.0.0.1} as IPv4 addresses (the last one as {@code 10.0.0.1}: a leading zero means octal), while
 * the JDK refuses some of these spellings, reads others as names, and reads {@code 012} as decimal
 * twelve. A host that one client takes for a name or a public address and another for a loopback or
 * private address gets past any check made on the first reading; so a host whose last label is a
 * number must be an IPv4 address written as four decimal numbers without leading zeros, the one
 * spelling every reader agrees on. The rule is the WHATWG URL standard's: a host that "ends in a
 * number" is an IPv4 address or invalid. Does no I/O. Stateless and thread-safe.
 */
final class NumericHosts {
  private NumericHosts() {}

  /**
   * Why {@code host} is refused as a numeric spelling other than dotted decimal, or empty when it is a
   * name or such an address.
   *
   * @param field the field that holds the host, named in the message
   * @param host the host, without the brackets of an IPv6 literal
   */
  static Optional<String> refusal(String field, String host) {
    // An IPv6 literal may end in dotted IPv4 (::ffff:127.0.0.1); the JDK parses those itself.
    if (host.indexOf(':') >= 0 || !endsInANumber(host) || isDottedDecimal(host)) {
      return Optional.empty();
    }
    Optional<byte[]> address = parseLikeInetAton(host);
    if (address.isEmpty()) {
      return Optional.of(field + " host " + host + " is not a valid host: a host whose last label is a number must"
          + " be an IPv4 address written as four decimal numbers");
    }
    String dotted = AddressClassifier.byAddress(address.get()).getHostAddress();
    return Optional.of(field + " host " + host + " spells the IPv4 address " + dotted + " in a form that clients"
        + " and proxies read differently; write it as " + dotted);
  }

  /** Whether the last label of {@code host} (after one trailing dot) is a decimal or {@code 0x} number. */
  static boolean endsInANumber(String host) {
    String h = withoutTrailingDot(host);
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (allDigits(last, 0, 10)) {
      return true;
    }
    return last.length() >= 2 && last.charAt(0) == '0' && (last.charAt(1) == 'x' || last.charAt(1) == 'X')
        && allDigits(last, 2, 16);
  }

  /** Whether {@code host} is four decimal numbers of 0 to 255, without leading zeros or a trailing dot. */
  static boolean isDottedDecimal(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !allDigits(p, 0, 10) || (p.length() > 1 && p.charAt(0) == '0')
          || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * The address {@code inet_aton} reads in {@code host}: one to four parts (with one trailing dot
   * allowed), each decimal, octal after a leading {@code 0}, or hexadecimal after {@code 0x}; the last
   * part fills the bytes the others left. Empty when it is no such address.
   */
  static Optional<byte[]> parseLikeInetAton(String host) {
    String[] parts = withoutTrailingDot(host).split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      long value = partValue(parts[i]);
      if (value < 0) {
        return Optional.empty();
      }
      values[i] = value;
    }
    long address = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return Optional.empty();
      }
      address |= values[i] << (8 * (3 - i));
    }
    long last = values[values.length - 1];
    if (last >= 1L << (8 * (5 - values.length))) {
      return Optional.empty();
    }
    address |= last;
    return Optional.of(new byte[] {
      (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
    });
  }

  /** A part's value, or -1 when it is not a number or exceeds 32 bits. */
  private static long partValue(String part) {
    int radix = 10;
    int from = 0;
    if (part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X')) {
      radix = 16;
      from = 2;
    } else if (part.length() >= 2 && part.charAt(0) == '0') {
      radix = 8;
      from = 1;
    }
    if (part.isEmpty() || !allDigits(part, from, radix)) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < part.length(); i++) {
      value = value * radix + Character.digit(part.charAt(i), radix);
      if (value > 0xffff_ffffL) {
        return -1;
      }
    }
    return value;
  }

  private static boolean allDigits(String s, int from, int radix) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      // ASCII only: Character.digit also accepts other scripts' digits, which no resolver reads.
      if (c > 'f' || Character.digit(c, radix) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String withoutTrailingDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
