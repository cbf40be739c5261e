package io.auditstream.api.sink;

/**
 * What kind of network an IP address belongs to, as far as server-side request forgery is
 * concerned. Every category except {@link #PUBLIC} is refused as a destination unless the host
 * application allows local network destinations. Computed by {@link
 * NetworkAddressPolicy#classify(java.net.InetAddress)}.
 */
public enum AddressCategory {
  /** A globally routable address: allowed. */
  PUBLIC("a public address"),
  /** {@code 127.0.0.0/8} or {@code ::1}: this machine. */
  LOOPBACK("a loopback address"),
  /** {@code 0.0.0.0/8} or {@code ::}: connecting to it reaches this machine. */
  ANY_LOCAL("an unspecified (any-local) address"),
  /** {@code 10/8}, {@code 172.16/12}, {@code 192.168/16} and the deprecated IPv6 {@code fec0::/10}. */
  PRIVATE("a private (site-local) address"),
  /** {@code 169.254/16} or {@code fe80::/10}. */
  LINK_LOCAL("a link-local address"),
  /** {@code 100.64/10}, shared address space of carrier-grade NAT (RFC 6598). */
  CARRIER_GRADE_NAT("a carrier-grade NAT (shared) address"),
  /** {@code fc00::/7}, the IPv6 counterpart of private addresses (RFC 4193). */
  UNIQUE_LOCAL("a unique-local IPv6 address"),
  /** {@code 224/4} or {@code ff00::/8}. */
  MULTICAST("a multicast address"),
  /**
   * {@code 240/4} (including the broadcast address {@code 255.255.255.255}), {@code 192.0.0.0/24},
   * {@code 198.18.0.0/15}, {@code 192.88.99.0/24} and the discard-only IPv6 {@code 100::/64}.
   */
  RESERVED("a reserved or broadcast address"),
  /**
   * An instance metadata service that hands out cloud credentials: {@code 169.254.169.254} (AWS,
   * Google Cloud, Azure and others), {@code fd00:ec2::254} (AWS over IPv6), {@code
   * 100.100.100.200} (Alibaba Cloud).
   */
  CLOUD_METADATA("a cloud metadata service address");

  private final String description;

  AddressCategory(String description) {
    this.description = description;
  }

  /** A phrase for messages, such as "a loopback address". */
  public String description() {
    return description;
  }

  /** Whether addresses of this category are refused when local network destinations are not allowed. */
  public boolean refusedByDefault() {
    return this != PUBLIC;
  }
}
