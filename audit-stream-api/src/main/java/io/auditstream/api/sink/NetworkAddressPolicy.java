package io.auditstream.api.sink;

import io.auditstream.api.ValidationException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a sink may reach a host when the host application does not allow local network
 * destinations ({@link SinkContext#allowLocalNetwork()}): the protection against server-side request forgery, where an owner
 * of a group points a destination at the host's own network (an admin port on loopback, a database
 * on a private address, the cloud metadata service that hands out credentials).
 *
 * <p>{@link #classify(InetAddress)} does no I/O. {@link #check(String, Duration, HostResolver)}
 * resolves a host name with the sink's {@link SinkContext#hostResolver()} and is what sinks call
 * before every request (or before creating a client for an overridden endpoint), so that a name which
 * resolves to a refused address after the destination was saved is refused too. {@link
 * #validateHost(ValidationException.Collector, String, String, SinkContext)} is the same check at
 * save time, as providers run it from {@link SinkProvider#validate(io.auditstream.api.destination.DestinationConfig,
 * SinkContext)}.
 *
 * <p>Every lookup runs on a daemon thread of this class and is waited for at most the timeout
 * given, whatever the resolver: the JDK's resolver has no timeout of its own. A lookup still
 * running then is interrupted and left to end by itself.
 *
 * <p>Limit: {@link java.net.http.HttpClient} resolves the host again when it connects and has no
 * hook to connect to an address chosen beforehand, so a DNS server that answers differently within
 * moments (DNS rebinding) could still slip past. The JVM's positive DNS cache (30 seconds by
 * default, {@code networkaddress.cache.ttl}) normally makes the client see the very answer that
 * was checked; hosts that need a hard guarantee should also filter egress at the network level.
 * Clients that can connect to given addresses should instead take the addresses {@link #check}
 * returns, looked up for each new connection, and connect only to those (the Apache HTTP transport,
 * the S3 sink and the Cloud Logging sink do).
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkAddressPolicy {
  private static final String HOW_TO_ALLOW =
      "destinations on the local network are refused unless the streamer is built with allowLocalNetwork(true)";

  /** Threads for DNS lookups, which the JDK cannot bound; idle ones end after a minute. */
  private static final ExecutorService RESOLVERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "audit-stream-dns");
    t.setDaemon(true);
    return t;
  });

  private NetworkAddressPolicy() {}

  /**
   * Classifies {@code address} without any I/O. IPv6 addresses that embed an IPv4 address
   * (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated {@code ::ffff:0:0:0/96}, IPv4-compatible
   * {@code ::/96}, NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16},
   * Teredo {@code 2001::/32} and ISATAP interface ids) take the category of the embedded address,
   * since packets to them end up at that IPv4 address.
   *
   * @throws NullPointerException if {@code address} is null
   */
  public static AddressCategory classify(InetAddress address) {
    return AddressClassifier.classify(Objects.requireNonNull(address, "address"));
  }

  /**
   * {@link #check(String, Duration, HostResolver)} with {@link HostResolver#system()}. Sinks use the
   * overload with their context's resolver instead, so that the host's choice of resolver holds.
   *
   * @throws DeliveryException as {@link #check(String, Duration, HostResolver)} says
   */
  public static List<InetAddress> check(String host, Duration timeout) throws DeliveryException {
    return check(host, timeout, HostResolver.system());
  }

  /**
   * Resolves {@code host} (a name or an IP literal, IPv6 with or without brackets) with {@code
   * resolver} and returns its addresses when none of them is refused. All addresses are checked, not
   * only the first, because a client may try any of them. IP literals are not handed to the
   * resolver. The lookup runs on a daemon thread of this class and is waited for at most {@code
   * timeout}, then interrupted. Does not look at whether local network destinations are allowed:
   * callers skip the check when {@link SinkContext#allowLocalNetwork()}. Typical use:
   * {@code check(host, context.connectTimeout(), context.hostResolver())}.
   *
   * @return the addresses that passed, at least one
   * @throws DeliveryException permanent when an address is refused, naming it and how to allow it, or
   *     when {@code host} spells an IPv4 address other than in dotted decimal (see {@link
   *     #hostSpellingRefusal});
   *     retryable when the name does not resolve, or not within {@code timeout}, since DNS failures
   *     are often transient (the resolver's own message is not repeated)
   * @throws NullPointerException when an argument is null
   */
  public static List<InetAddress> check(String host, Duration timeout, HostResolver resolver)
      throws DeliveryException {
    String name = stripBrackets(Objects.requireNonNull(host, "host"));
    Optional<String> spelling = NumericHosts.refusal("destination", name);
    if (spelling.isPresent()) {
      throw DeliveryException.permanent(spelling.get());
    }
    List<InetAddress> list = resolve(name, Objects.requireNonNull(timeout, "timeout"),
        Objects.requireNonNull(resolver, "resolver"));
    Optional<String> refusal = refusal(name, list);
    if (refusal.isPresent()) {
      throw DeliveryException.permanent(refusal.get());
    }
    return list;
  }

  /**
   * Save-time check of one host of a destination, for {@link
   * SinkProvider#validate(io.auditstream.api.destination.DestinationConfig, SinkContext)}: does
   * nothing when {@code context} allows local network destinations; otherwise records a violation
   * on {@code field} when {@code host} is an IP literal in a refused category, or a name that
   * {@link SinkContext#hostResolver()} resolves, within {@link SinkContext#connectTimeout()}, to any
   * refused address. The message names the field, the host, the refused address and the {@code
   * allowLocalNetwork(true)} setting; it never holds more of the destination than the host.
   *
   * <p>A name that does not resolve now (or not in time) is accepted: the sink checks it again
   * before every request. Blocks the calling management thread for the lookup at most; a null or
   * empty host is left to the config's own rules.
   *
   * @param v where the violation goes, so that a config with several hosts reports them all at once
   * @param field the field that holds the host, for example {@code destinationUrl}
   * @param host the host part of the field: a name or an IP literal, IPv6 with or without brackets
   * @param context the engine's policy, resolver and timeout
   * @throws NullPointerException when {@code v}, {@code field} or {@code context} is null
   */
  public static void validateHost(ValidationException.Collector v, String field, String host, SinkContext context) {
    Objects.requireNonNull(v, "v");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(context, "context");
    if (context.allowLocalNetwork() || host == null || host.isEmpty()) {
      return;
    }
    String name = stripBrackets(host);
    Optional<InetAddress> literal = parseLiteral(name);
    if (literal.isPresent()) {
      literalRefusal(field, name, literal.get()).ifPresent(message -> v.add(field, message));
      return;
    }
    List<InetAddress> addresses;
    try {
      addresses = resolve(name, context.connectTimeout(), context.hostResolver());
    } catch (DeliveryException e) {
      // Not resolvable now: accepted, and checked again before every request.
      return;
    }
    refusal(name, addresses).ifPresent(message -> v.add(field, field + " refused: " + message));
  }

  private static List<InetAddress> resolve(String name, Duration timeout, HostResolver resolver)
      throws DeliveryException {
    Optional<InetAddress> literal = parseLiteral(name);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
    Future<?> task = RESOLVERS.submit(() -> {
      try {
        lookup.complete(resolver.resolve(name));
      } catch (UnknownHostException | RuntimeException e) {
        lookup.completeExceptionally(e);
      }
    });
    List<InetAddress> found;
    try {
      found = lookup.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // A resolver that honours interruption stops here; the JDK's runs on to its own end.
      task.cancel(true);
      throw DeliveryException.retryable("could not resolve destination host " + name + " within "
          + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      // The exception's own message may echo resolver details; the host name is enough.
      throw DeliveryException.retryable("could not resolve destination host " + name);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw DeliveryException.retryable("interrupted while resolving destination host " + name);
    }
    if (found == null || found.isEmpty() || found.stream().anyMatch(Objects::isNull)) {
      throw DeliveryException.retryable("could not resolve destination host " + name);
    }
    return List.copyOf(found);
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
   * The address that {@code host} spells out when it is an IP literal (IPv4 as four decimal numbers
   * without leading zeros, or IPv6 with or without brackets), or empty otherwise. Other numeric
   * spellings of IPv4 addresses are not literals here: {@link #hostSpellingRefusal} refuses them, and
   * so does {@link #check(String, Duration, HostResolver)}. Never does a DNS lookup.
   */
  public static Optional<InetAddress> parseLiteral(String host) {
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    if (NumericHosts.isDottedDecimal(host)) {
      return NumericHosts.parseLikeInetAton(host).map(AddressClassifier::byAddress);
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
   * Save-time rule for a URL that carries credentials: records a violation on {@code field} when
   * {@code uri} uses plain {@code http} and {@code context} does not allow it ({@link
   * SinkContext#plainHttpAllowed()}). The message says what would travel in clear ({@code what}, for
   * example "the verification token and headers") and which setting allows it; never the URL.
   *
   * @throws NullPointerException when an argument is null
   */
  public static void validatePlainHttp(ValidationException.Collector v, String field, URI uri, String what,
      SinkContext context) {
    plainHttpRefusal(field, uri, what, context).ifPresent(message -> v.add(field, message));
  }

  /**
   * Why a request to {@code uri} is refused for using plain {@code http} with credentials, or empty when
   * it uses {@code https} or {@code context} allows plain HTTP. Sinks call it before sending, for
   * destinations saved before the rule or under other settings.
   *
   * @throws NullPointerException when an argument is null
   */
  public static Optional<String> plainHttpRefusal(String field, URI uri, String what, SinkContext context) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(what, "what");
    if (!"http".equalsIgnoreCase(Objects.requireNonNull(uri, "uri").getScheme())
        || Objects.requireNonNull(context, "context").plainHttpAllowed()) {
      return Optional.empty();
    }
    return Optional.of(field + " must use https: " + what + " would travel in clear over http to "
        + hostForMessages(uri) + "; plain http is refused unless the streamer is built with allowPlainHttp(true)"
        + " (or allowLocalNetwork(true), for receivers on the local network)");
  }

  /**
   * Why {@code host} is refused for how it is written, whether or not local network destinations are
   * allowed, or empty when it is fine: a host whose last label is a number (decimal or {@code 0x})
   * must be an IPv4 address written as four decimal numbers without leading zeros. Resolvers, clients
   * and proxies read other spellings ({@code 2130706433}, {@code 0x7f000001}, {@code 012.0.0.1})
   * differently: one may take for a public address or a name what another connects to as a loopback
   * or private address. The message names {@code field} and gives the dotted-decimal form when there
   * is one. Does no I/O. Config rules call it when a destination is saved; {@link #check(String,
   * Duration, HostResolver)} applies it again before every request.
   *
   * @param field the field that holds the host, for example {@code destinationUrl}
   * @param host the host part of the field, IPv6 with or without brackets
   * @throws NullPointerException when an argument is null
   */
  public static Optional<String> hostSpellingRefusal(String field, String host) {
    Objects.requireNonNull(field, "field");
    return NumericHosts.refusal(field, stripBrackets(Objects.requireNonNull(host, "host")));
  }

  /**
   * Save-time check of IP literals only, for callers that know the host does not allow local
   * network destinations: refuses a host that is an IP literal in a refused category, and does no
   * DNS. {@link #validateHost(ValidationException.Collector, String, String, SinkContext)} checks
   * names too and is what providers use.
   *
   * @param field the field that holds the host, named in the error (for example {@code destinationUrl})
   * @param host the host part of the field, a name or an IP literal (with or without brackets)
   * @throws ValidationException on {@code field} when the literal address is refused
   */
  public static void validateLiteralHost(String field, String host) {
    Optional<InetAddress> literal = parseLiteral(host);
    if (literal.isPresent()) {
      Optional<String> refusal = literalRefusal(field, stripBrackets(host), literal.get());
      if (refusal.isPresent()) {
        throw new ValidationException(field, refusal.get());
      }
    }
  }

  private static Optional<String> literalRefusal(String field, String host, InetAddress address) {
    AddressCategory category = classify(address);
    if (!category.refusedByDefault()) {
      return Optional.empty();
    }
    return Optional.of(field + " host " + host + " is " + AddressClassifier.categoryText(address, category)
        + "; " + HOW_TO_ALLOW);
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
    return address.getHostAddress() + ", " + AddressClassifier.categoryText(address, category);
  }
}
