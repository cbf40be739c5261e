package io.auditstream.sink.http.apache5;

import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.SinkContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves the host names the client connects to with the context's {@link HostResolver}, once per
 * connection. While local network destinations are refused, through {@link
 * NetworkAddressPolicy#check} (bounded by the connect timeout): every address is checked, and the
 * client connects only to the addresses that passed, so a name that resolves to a refused address at
 * the moment of connecting (DNS rebinding included) is refused. Internal; may change without notice.
 * Thread-safe.
 */
final class CheckedDnsResolver implements DnsResolver {
  private final SinkContext context;

  CheckedDnsResolver(SinkContext context) {
    this.context = context;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    if (!context.allowLocalNetwork()) {
      try {
        return NetworkAddressPolicy.check(host, context.connectTimeout(), context.hostResolver())
            .toArray(new InetAddress[0]);
      } catch (DeliveryException e) {
        // The policy's messages name the host and the refused address, never more of the destination.
        throw e.isRetryable() ? new UnresolvedHostException(e.getMessage()) : new RefusedAddressException(e.getMessage());
      }
    }
    String name = NetworkAddressPolicy.stripBrackets(host);
    Optional<InetAddress> literal = NetworkAddressPolicy.parseLiteral(name);
    if (literal.isPresent()) {
      return new InetAddress[] {literal.get()};
    }
    List<InetAddress> found = context.hostResolver().resolve(name);
    if (found == null || found.isEmpty()) {
      throw new UnresolvedHostException("could not resolve destination host " + name);
    }
    return found.toArray(new InetAddress[0]);
  }

  /** No reverse lookup: only authentication schemes the transport does not use would need it. */
  @Override
  public String resolveCanonicalHostname(String host) {
    return host;
  }

  /** The policy refused an address of the host; the message says which and how to allow it. */
  static final class RefusedAddressException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    RefusedAddressException(String message) {
      super(message);
    }
  }

  /** The host did not resolve, or not in time; the message names the host only. */
  static final class UnresolvedHostException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    UnresolvedHostException(String message) {
      super(message);
    }
  }
}
