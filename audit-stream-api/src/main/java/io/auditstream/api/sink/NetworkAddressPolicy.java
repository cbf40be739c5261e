package io.auditstream.api.sink;

import io.auditstream.api.ValidationException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a sink may reach a host when the host application does not allow local network
 * destinations ({@link SinkContext#allowLocalNetwork()}): the protection against server-side request forgery, where an owner
 * of a group points a destination at the host's own network (an admin port on loopback, a database
 * on a private address, the cloud metadata service that hands out credentials).
 *
 * <p>{@link #classify(InetAddress)} does no I/O and is what tests exercise. {@link #check(String, Duration)}
 * resolves a host name and is what sinks call before every request (or before creating a client for
 * an overridden endpoint), so that a name which resolves to a refused address after the destination
 * was saved is refused too. {@link #validateLiteralHost(String, String)} does no DNS and is meant for
 * save time.
 *
 * <p>Limit: {@link java.net.http.HttpClient} resolves the host again when it connects and has no
 * hook to connect to an address chosen beforehand, so a DNS server that answers differently within
 * moments (DNS rebinding) could still slip past. The JVM's positive DNS cache (30 seconds by
 * default, {@code networkaddress.cache.ttl}) normally makes the client see the very answer that
 * was checked; hosts that need a hard guarantee should also filter egress at the network level.
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkAddressPolicy {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final String HOW_TO_ALLOW =
      "destinations on the local network are refused unless the streamer is built with allowLocalNetwork(true)";

  private static final byte[] AWS_METADATA_V6 = {
    (byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
  };

  /** Threads for DNS lookups, which the JDK cannot bound; idle ones end after a minute. */
  private static final ExecutorService RESOLVERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "audit-stream-dns");
    t.setDaemon(true);
    return t;
  });

  private NetworkAddressPolicy() {}

  /**
   * Classifies {@code address} without any I/O. IPv6 addresses that embed an IPv4 address
   * (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}
   * and 6to4 {@code 2002::/16}) take the category of the embedded address, since packets to them
   * end up at that IPv4 address.
   *
   * @throws NullPointerException if {@code address} is null
   */
  public static AddressCategory classify(InetAddress address) {
    Objects.requireNonNull(address, "address");
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return classifyIpv4(b);
    }
    Optional<byte[]> embedded = embeddedIpv4(b);
    if (embedded.isPresent()) {
      return classifyIpv4(embedded.get());
    }
    return classifyIpv6(b);
  }

  /**
   * Resolves {@code host} (a name or an IP literal, IPv6 with or without brackets) and returns its
   * addresses when none of them is refused. All addresses are checked, not only the first, because
   * the HTTP client may try any of them. The lookup runs on a daemon thread of its own and is waited
   * for at most {@code timeout}: the JDK's resolver has no timeout of its own.
   *
   * @throws DeliveryException permanent when an address is refused, saying which and how to allow
   *     it; retryable when the name cannot be resolved in time, since DNS failures are often transient
   */
  public static List<InetAddress> check(String host, Duration timeout) throws DeliveryException {
    String name = stripBrackets(Objects.requireNonNull(host, "host"));
    List<InetAddress> list = resolve(name, timeout);
    Optional<String> refusal = refusal(name, list);
    if (refusal.isPresent()) {
      throw DeliveryException.permanent(refusal.get(), null);
    }
    return List.copyOf(list);
  }

  private static List<InetAddress> resolve(String name, Duration timeout) throws DeliveryException {
    Optional<InetAddress> literal = parseLiteral(name);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
    RESOLVERS.execute(() -> {
      try {
        lookup.complete(InetAddress.getAllByName(name));
      } catch (UnknownHostException | RuntimeException e) {
        lookup.completeExceptionally(e);
      }
    });
    try {
      return Arrays.asList(lookup.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      throw DeliveryException.retryable("could not resolve destination host " + name + " within "
          + timeout.toMillis() + " ms", null);
    } catch (ExecutionException e) {
      // The exception's own message may echo resolver details; the host name is enough.
      throw DeliveryException.retryable("could not resolve destination host " + name, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted while resolving destination host " + name, null);
    }
  }

  /**
   * Why a destination host that resolved to {@code addresses} is refused, or empty when every
   * address is allowed. Does no I/O.
   *
   * @param host the host name, only used in the message
   * @param addresses what it resolved to
   */
  public static Optional<String> refusal(String host, List<InetAddress> addresses) {
    for (InetAddress address : addresses) {
      AddressCategory category = classify(address);
      if (category.refusedByDefault()) {
        return Optional.of("destination host " + stripBrackets(host) + " resolves to " + describe(address, category)
            + "; " + HOW_TO_ALLOW);
      }
    }
    return Optional.empty();
  }

  /**
   * The address that {@code host} spells out when it is an IP literal (dotted-quad IPv4, or IPv6
   * with or without brackets), or empty when it is a name. Never does a DNS lookup.
   */
  public static Optional<InetAddress> parseLiteral(String host) {
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DOTTED_QUAD.matcher(host);
    if (m.matches()) {
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(m.group(i + 1));
        if (octet > 255) {
          return Optional.empty();
        }
        b[i] = (byte) octet;
      }
      return Optional.of(byAddress(b));
    }
    if (host.indexOf(':') >= 0) {
      // Brackets make InetAddress treat the text as an IPv6 literal and fail rather than look it up.
      String bracketed = host.startsWith("[") ? host : "[" + host + "]";
      try {
        return Optional.of(InetAddress.getByName(bracketed));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Save-time check for engines that know the host does not allow local network destinations:
   * refuses a destination URL whose host is an IP literal in a refused category. Host names are
   * not resolved here (saving must not wait on DNS, and the answer may change); they are checked
   * by the sink before every request.
   *
   * @param field the field that holds the host, named in the error (for example {@code destinationUrl})
   * @param host the host part of the field, a name or an IP literal (with or without brackets)
   * @throws ValidationException on {@code field} when the literal address is refused
   */
  public static void validateLiteralHost(String field, String host) {
    Optional<InetAddress> literal = parseLiteral(host);
    if (literal.isPresent()) {
      AddressCategory category = classify(literal.get());
      if (category.refusedByDefault()) {
        throw new ValidationException(field, field + " host " + stripBrackets(host) + " is "
            + categoryText(literal.get(), category)
            + "; " + HOW_TO_ALLOW);
      }
    }
  }

  /** The host of {@code uri} for messages: no user info, path or query, which may hold secrets. */
  public static String hostForMessages(URI uri) {
    return uri.getPort() < 0 ? stripBrackets(uri.getHost()) : stripBrackets(uri.getHost()) + ":" + uri.getPort();
  }

  /** {@code host} without the brackets of an IPv6 literal. */
  public static String stripBrackets(String host) {
    return host.length() > 1 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String describe(InetAddress address, AddressCategory category) {
    return address.getHostAddress() + ", " + categoryText(address, category);
  }

  private static String categoryText(InetAddress address, AddressCategory category) {
    String text = category.description();
    if (address instanceof Inet6Address) {
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
    return AddressCategory.PUBLIC;
  }

  /** The IPv4 address carried inside an IPv6 address of a known embedding, if any. */
  private static Optional<byte[]> embeddedIpv4(byte[] b) {
    if (b.length != 16) {
      return Optional.empty();
    }
    boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    // ::/96 "IPv4-compatible", except :: and ::1 which are IPv6's own unspecified and loopback.
    boolean compatible = isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12);
    if (mapped || compatible || nat64) {
      return Optional.of(Arrays.copyOfRange(b, 12, 16));
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return Optional.of(Arrays.copyOfRange(b, 2, 6));
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

  private static InetAddress byAddress(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + b.length + " bytes", e);
    }
  }
}
