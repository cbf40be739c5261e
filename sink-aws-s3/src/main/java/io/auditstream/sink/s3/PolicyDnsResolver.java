package io.auditstream.sink.s3;

import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.SinkContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Resolves the host of an endpoint override through {@link NetworkAddressPolicy#check}, with the
 * context's {@link SinkContext#hostResolver()} and within its connect timeout, so the S3 client
 * connects only to addresses that passed the policy: a name that starts resolving to a local address
 * between the check before a request and the connection (DNS rebinding) is refused too. Used only
 * while the host does not allow local network destinations. Thread-safe.
 */
final class PolicyDnsResolver implements DnsResolver {
  private final SinkContext context;

  PolicyDnsResolver(SinkContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    try {
      return NetworkAddressPolicy.check(host, context.connectTimeout(), context.hostResolver())
          .toArray(new InetAddress[0]);
    } catch (DeliveryException e) {
      throw e.isRetryable() ? new UnknownHostException(e.getMessage()) : new RefusedAddressException(e.getMessage());
    }
  }

  /** No reverse lookup: the name is only used for authentication schemes the sink does not use. */
  @Override
  public String resolveCanonicalHostname(String host) {
    return host;
  }

  /** The policy refused every address of a host; carries the policy's message, which names no secret. */
  static final class RefusedAddressException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    RefusedAddressException(String message) {
      super(message);
    }
  }
}
