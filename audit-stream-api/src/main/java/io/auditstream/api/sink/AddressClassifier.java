package io.auditstream.api.sink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which {@link AddressCategory} an IP address belongs to, from its bytes alone: the IPv4 and IPv6
 * ranges, and the IPv6 embeddings of an IPv4 address, for {@link NetworkAddressPolicy}. Does no
 * I/O. Stateless and thread-safe. Internal; may change without notice.
 */
final class AddressClassifier {
  private static final byte[] AWS_METADATA_V6 = {
    (byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
  };

  private AddressClassifier() {}

  /** As {@link NetworkAddressPolicy#classify(InetAddress)} says; {@code address} is not null. */
  static AddressCategory classify(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return classifyIpv4(b);
    }
    // The IPv6 range first: a link-local ISATAP address (fe80::5efe:8.8.8.8) stays link-local.
    AddressCategory own = classifyIpv6(b);
    if (own != AddressCategory.PUBLIC) {
      return own;
    }
    return embeddedIpv4(b).map(AddressClassifier::classifyIpv4).orElse(own);
  }

  /**
   * {@code category}'s description, for messages, followed for an IPv6 address that embeds an IPv4
   * address by that address, which is where packets to it end up.
   */
  static String categoryText(InetAddress address, AddressCategory category) {
    String text = category.description();
    if (address instanceof Inet6Address && classifyIpv6(address.getAddress()) == AddressCategory.PUBLIC) {
      Optional<byte[]> embedded = embeddedIpv4(address.getAddress());
      if (embedded.isPresent()) {
        text += " (IPv4 " + byAddress(embedded.get()).getHostAddress() + " embedded in an IPv6 address)";
      }
    }
    return text;
  }

  private static AddressCategory classifyIpv4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    int a3 = b[3] & 0xff;
    if ((a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200)) {
      return AddressCategory.CLOUD_METADATA;
    }
    if (a0 == 0) {
      // Linux routes connections to any 0.x.x.x address to this machine.
      return AddressCategory.ANY_LOCAL;
    }
    if (a0 == 127) {
      return AddressCategory.LOOPBACK;
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return AddressCategory.PRIVATE;
    }
    if (a0 == 169 && a1 == 254) {
      return AddressCategory.LINK_LOCAL;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return AddressCategory.CARRIER_GRADE_NAT;
    }
    if ((a0 & 0xf0) == 224) {
      return AddressCategory.MULTICAST;
    }
    // 192.0.0.0/24 (IETF protocol assignments, NAT64 discovery among them), 198.18.0.0/15 (benchmarking,
    // often used inside data centres) and 192.88.99.0/24 (the retired 6to4 relay anycast).
    if ((a0 == 192 && a1 == 0 && a2 == 0) || (a0 == 198 && (a1 & 0xfe) == 18) || (a0 == 192 && a1 == 88 && a2 == 99)) {
      return AddressCategory.RESERVED;
    }
    if ((a0 & 0xf0) == 240) {
      return AddressCategory.RESERVED;
    }
    return AddressCategory.PUBLIC;
  }

  private static AddressCategory classifyIpv6(byte[] b) {
    if (Arrays.equals(b, AWS_METADATA_V6)) {
      return AddressCategory.CLOUD_METADATA;
    }
    if (isZero(b, 0, 16)) {
      return AddressCategory.ANY_LOCAL;
    }
    if (isZero(b, 0, 15) && b[15] == 1) {
      return AddressCategory.LOOPBACK;
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b0 == 0xff) {
      return AddressCategory.MULTICAST;
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return AddressCategory.LINK_LOCAL;
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return AddressCategory.PRIVATE;
    }
    if ((b0 & 0xfe) == 0xfc) {
      return AddressCategory.UNIQUE_LOCAL;
    }
    // 100::/64, discard-only (RFC 6666).
    if (b0 == 0x01 && isZero(b, 1, 8)) {
      return AddressCategory.RESERVED;
    }
    return AddressCategory.PUBLIC;
  }

  /** The IPv4 address carried inside an IPv6 address of a known embedding, if any. */
  private static Optional<byte[]> embeddedIpv4(byte[] b) {
    if (b.length != 16) {
      return Optional.empty();
    }
    boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    // ::ffff:0:0/96, IPv4-translated (SIIT, RFC 2765).
    boolean translated = isZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && isZero(b, 10, 12);
    // ::/96 "IPv4-compatible", except :: and ::1 which are IPv6's own unspecified and loopback.
    boolean compatible = isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12);
    // 64:ff9b:1::/48, NAT64 for local use (RFC 8215): the IPv4 address is in the last four bytes.
    boolean localNat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0
        && b[5] == 1;
    // ISATAP (RFC 5214): an interface id of 0000:5efe or 0200:5efe followed by the IPv4 address, in any prefix.
    boolean isatap = (b[8] == 0 || b[8] == 2) && b[9] == 0 && b[10] == 0x5e && (b[11] & 0xff) == 0xfe;
    if (mapped || translated || compatible || nat64 || localNat64 || isatap) {
      return Optional.of(Arrays.copyOfRange(b, 12, 16));
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return Optional.of(Arrays.copyOfRange(b, 2, 6));
    }
    // Teredo, 2001::/32 (RFC 4380): the client's IPv4 address is the last four bytes, inverted.
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
      byte[] client = Arrays.copyOfRange(b, 12, 16);
      for (int i = 0; i < 4; i++) {
        client[i] = (byte) ~client[i];
      }
      return Optional.of(client);
    }
    return Optional.empty();
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The address of raw bytes {@code b}, 4 or 16 of them; no lookup. */
  static InetAddress byAddress(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + b.length + " bytes", e);
    }
  }
}
