package io.auditstream.testing;

import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.NetworkAddressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link HostResolver} whose answers the test sets, for tests of hosts and sinks that want to
 * decide what a destination's host name resolves to without asking any DNS server: a name it was
 * not told about does not resolve.
 *
 * <pre>{@code
 * TestHostResolver names = TestHostResolver.create().map("audit.internal.example", "10.1.2.3");
 * AuditStreamer streamer = AuditStreamer.builder().hostResolver(names).build();
 * // a destination at https://audit.internal.example/ is now refused: it resolves to a private address
 * SinkContext context = SinkContext.builder().hostResolver(names).build(); // or for one sink
 * }</pre>
 *
 * <p>Names match without regard to case, as in DNS. Thread-safe: the address check calls {@link
 * #resolve(String)} on a thread of its own, and a test may change the answers at any time; a lookup
 * sees either the old or the new answer for a name. Its lookups never block.
 */
public final class TestHostResolver implements HostResolver {
  private final Map<String, Answer> table = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  private TestHostResolver() {}

  /** A resolver of its own, that knows no name yet. */
  public static TestHostResolver create() {
    return new TestHostResolver();
  }

  /**
   * Makes {@code host} resolve to {@code addresses} from now on, in that order, replacing what it
   * resolved to before. No addresses make the name resolve to an empty list, which the address check
   * counts as a name that does not resolve.
   *
   * @param host a host name, for example {@code "audit.internal.example"}
   * @param addresses IP literals (dotted-quad IPv4, or IPv6 with or without brackets)
   * @return this resolver, for chaining
   * @throws IllegalArgumentException when an address is not an IP literal
   * @throws NullPointerException when {@code host}, {@code addresses} or one of them is null
   */
  public TestHostResolver map(String host, String... addresses) {
    Objects.requireNonNull(host, "host");
    List<InetAddress> parsed = parse(addresses);
    table.put(key(host), new Answer(parsed, 0, parsed));
    return this;
  }

  /**
   * Makes {@code host} answer {@code first} to its next {@code lookups} lookups and {@code then} to
   * every later one, replacing what it resolved to before: a name whose DNS answer changes between
   * the moment it is checked and the moment a client connects (DNS rebinding). For example {@code
   * mapSwitching("audit.receiver.example", 1, List.of("8.8.8.8"), List.of("127.0.0.1"))} passes the
   * address check of a delivery and then leads anything that looks the name up again to loopback.
   *
   * @param host a host name
   * @param lookups how many lookups of {@code host}, from now on, get {@code first}; at least 0
   * @param first IP literals answered to those lookups
   * @param then IP literals answered to every later lookup
   * @return this resolver, for chaining
   * @throws IllegalArgumentException when {@code lookups} is negative or an address is not an IP literal
   * @throws NullPointerException when an argument or an address is null
   */
  public TestHostResolver mapSwitching(String host, int lookups, List<String> first, List<String> then) {
    Objects.requireNonNull(host, "host");
    if (lookups < 0) {
      throw new IllegalArgumentException("lookups must be at least 0 (was " + lookups + ")");
    }
    List<InetAddress> before = parse(Objects.requireNonNull(first, "first").toArray(new String[0]));
    List<InetAddress> after = parse(Objects.requireNonNull(then, "then").toArray(new String[0]));
    table.put(key(host), new Answer(before, lookups, after));
    return this;
  }

  private static List<InetAddress> parse(String... addresses) {
    Objects.requireNonNull(addresses, "addresses");
    List<InetAddress> parsed = new ArrayList<>(addresses.length);
    for (String address : addresses) {
      Objects.requireNonNull(address, "address");
      parsed.add(NetworkAddressPolicy.parseLiteral(address).orElseThrow(
          () -> new IllegalArgumentException("address must be an IP literal (was " + address + ")")));
    }
    return List.copyOf(parsed);
  }

  /** How many times {@link #resolve(String)} was called, whether the name resolved or not. */
  public int lookups() {
    return lookups.get();
  }

  /**
   * The addresses last {@linkplain #map mapped} to {@code host} (or, for a name {@linkplain
   * #mapSwitching mapped to switch}, those due at this lookup), and counts the lookup.
   *
   * @throws UnknownHostException when {@code host} was never mapped
   */
  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    Answer found = host == null ? null : table.get(key(host));
    if (found == null) {
      throw new UnknownHostException(host);
    }
    return found.next();
  }

  /** What a name answers: {@code first} to the next {@code firstLookups} lookups, then {@code then}. */
  private static final class Answer {
    private final List<InetAddress> first;
    private final List<InetAddress> then;
    private final AtomicInteger firstLeft;

    Answer(List<InetAddress> first, int firstLookups, List<InetAddress> then) {
      this.first = first;
      this.then = then;
      this.firstLeft = new AtomicInteger(firstLookups);
    }

    List<InetAddress> next() {
      return firstLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? first : then;
    }
  }

  /**
   * A resolver that answers nothing until the thread calling it is interrupted (as the address check
   * does when a lookup outlasts its timeout); it then counts {@code interrupted} down and throws
   * {@link UnknownHostException}. For tests of that timeout. Thread-safe.
   *
   * @param interrupted counted down once per interrupted lookup
   * @throws NullPointerException when {@code interrupted} is null
   */
  public static HostResolver blockingUntilInterrupted(CountDownLatch interrupted) {
    Objects.requireNonNull(interrupted, "interrupted");
    return host -> {
      try {
        new CountDownLatch(1).await();
        throw new UnknownHostException(host);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw new UnknownHostException(host);
      }
    };
  }

  private static String key(String host) {
    return host.toLowerCase(Locale.ROOT);
  }
}
