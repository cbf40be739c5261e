package io.auditstream.api.sink;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * What the engine tells every sink it creates: network policy, the resolver the policy looks host
 * names up with, and timeouts. Immutable.
 *
 * <p>{@link #allowLocalNetwork()} is off by default: sinks must then refuse loopback, private,
 * link-local and cloud-metadata addresses, checked when connecting (so a DNS name that later
 * resolves to such an address is refused too), with {@link NetworkAddressPolicy} and {@link
 * #hostResolver()}.
 */
public final class SinkContext {
  /** How long a sink waits for a connection unless configured otherwise: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long one delivery request may take unless configured otherwise: 10 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** The {@code User-Agent} sinks send unless configured otherwise. */
  public static final String DEFAULT_USER_AGENT = "audit-stream";

  private final boolean allowLocalNetwork;
  private final boolean allowPlainHttp;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final String userAgent;
  private final HostResolver hostResolver;
  private final TrustMaterial trust;

  private SinkContext(Builder b) {
    this.allowLocalNetwork = b.allowLocalNetwork;
    this.allowPlainHttp = b.allowPlainHttp;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.userAgent = b.userAgent;
    this.hostResolver = b.hostResolver;
    this.trust = new TrustMaterial(b.trustedCertificates);
  }

  /** A new builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The defaults: local network refused, {@link #DEFAULT_CONNECT_TIMEOUT}, {@link
   * #DEFAULT_REQUEST_TIMEOUT}, {@link #DEFAULT_USER_AGENT}, {@link HostResolver#system()}.
   */
  public static SinkContext defaults() {
    return builder().build();
  }

  /** Whether destinations may be on loopback, private, link-local or metadata addresses. */
  public boolean allowLocalNetwork() {
    return allowLocalNetwork;
  }

  /**
   * Whether credentials may travel over plain {@code http://} to any host: an HTTP destination's
   * verification token and headers, a token server's signed assertion, requests signed with a cloud
   * key. Off by default; sinks then refuse {@code http://} unless {@link #allowLocalNetwork()} is on
   * (local receivers seldom have certificates). See {@link #plainHttpAllowed()}.
   */
  public boolean allowPlainHttp() {
    return allowPlainHttp;
  }

  /**
   * What sinks apply: whether an {@code http://} URL that carries credentials is allowed, that is
   * {@link #allowPlainHttp()} or {@link #allowLocalNetwork()}.
   */
  public boolean plainHttpAllowed() {
    return allowPlainHttp || allowLocalNetwork;
  }

  /** The bound on establishing a connection to a destination; always positive. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The bound on one delivery request, from sending to the full response. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The {@code User-Agent} value sinks send with each request, where their protocol has one; never null. */
  public String userAgent() {
    return userAgent;
  }

  /**
   * What the address check resolves destination host names with, within {@link #connectTimeout()};
   * never null. See {@link HostResolver} for what it does and does not decide.
   */
  public HostResolver hostResolver() {
    return hostResolver;
  }

  /**
   * Certificates the host trusts for TLS to destinations, beside the JVM's default trust anchors;
   * empty by default. Never a way to turn verification off: host names and chains are still checked.
   */
  public List<X509Certificate> trustedCertificates() {
    return trust.added();
  }

  /**
   * The TLS context sinks connect with: it trusts the JVM's default trust anchors and {@link
   * #trustedCertificates()}, and verifies as the JDK does. The JVM's default context when the host
   * added no certificate. Made on first use, then the same object.
   *
   * @throws IllegalStateException when the JVM's trust store cannot be read
   */
  public SSLContext sslContext() {
    return trust.sslContext();
  }

  /** The trust manager of {@link #sslContext()}, for clients that take one rather than a context. */
  public X509TrustManager trustManager() {
    return trust.trustManager();
  }

  /** A builder holding every setting of this context, to derive a changed copy. */
  public Builder toBuilder() {
    return new Builder().allowLocalNetwork(allowLocalNetwork).allowPlainHttp(allowPlainHttp).connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout).userAgent(userAgent).hostResolver(hostResolver)
        .trustedCertificates(trust.added());
  }

  @Override
  public String toString() {
    return "SinkContext{allowLocalNetwork=" + allowLocalNetwork + ", allowPlainHttp=" + allowPlainHttp + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", hostResolver=" + hostResolver
        + ", trustedCertificates=" + trust.added().size() + "}";
  }

  /** Builds a {@link SinkContext}. */
  public static final class Builder {
    private boolean allowLocalNetwork;
    private boolean allowPlainHttp;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private String userAgent = DEFAULT_USER_AGENT;
    private HostResolver hostResolver = HostResolver.system();
    private List<X509Certificate> trustedCertificates = List.of();

    private Builder() {}

    /**
     * Whether sinks may connect to loopback, private, link-local and metadata addresses; defaults to
     * {@code false}. Turn on only for tests or trusted internal destinations.
     */
    public Builder allowLocalNetwork(boolean allow) {
      this.allowLocalNetwork = allow;
      return this;
    }

    /**
     * Whether credentials may travel over plain {@code http://} to public hosts too; defaults to
     * {@code false}. For receivers reached through a TLS-terminating egress proxy or an encrypted
     * network of the host's own; see {@link SinkContext#allowPlainHttp()}.
     */
    public Builder allowPlainHttp(boolean allow) {
      this.allowPlainHttp = allow;
      return this;
    }

    /**
     * The bound on establishing a connection; defaults to {@link #DEFAULT_CONNECT_TIMEOUT}.
     *
     * @throws io.auditstream.api.ValidationException when {@code timeout} is null, zero or negative
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * The bound on one delivery request; defaults to {@link #DEFAULT_REQUEST_TIMEOUT}.
     *
     * @throws io.auditstream.api.ValidationException when {@code timeout} is null, zero or negative
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * The {@code User-Agent} to send; defaults to {@link #DEFAULT_USER_AGENT}.
     *
     * @throws NullPointerException when {@code userAgent} is null
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /**
     * What the address check resolves destination host names with; defaults to {@link
     * HostResolver#system()}. For tests that decide what a name resolves to, and hosts with their own
     * DNS policy.
     *
     * @throws NullPointerException when {@code hostResolver} is null
     */
    public Builder hostResolver(HostResolver hostResolver) {
      this.hostResolver = Objects.requireNonNull(hostResolver, "hostResolver");
      return this;
    }

    /**
     * Certificates to trust for TLS beside the JVM's default trust anchors, such as the CA of an
     * internal receiver; replaces what was set before. Defaults to none.
     *
     * @throws NullPointerException when {@code certificates} or one of them is null
     */
    public Builder trustedCertificates(Collection<X509Certificate> certificates) {
      this.trustedCertificates = List.copyOf(certificates);
      return this;
    }

    /** The context; every setting was checked when it was set, so this never throws. */
    public SinkContext build() {
      return new SinkContext(this);
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new io.auditstream.api.ValidationException(field, field + " must be a positive duration (was " + d + ")");
      }
      return d;
    }
  }
}
