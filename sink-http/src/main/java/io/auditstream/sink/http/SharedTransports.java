package io.auditstream.sink.http;

import io.auditstream.api.sink.HostResolver;
import io.auditstream.api.sink.SinkContext;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports of one {@link HttpSinkProvider}: one per distinct {@link SinkContext} settings,
 * shared by every sink made with those settings, and closed when the last of those sinks is closed
 * (the engine closes every sink when the streamer closes, and {@link
 * io.auditstream.api.sink.SinkProvider} has no close of its own). Internal; may change without
 * notice. Thread-safe.
 */
final class SharedTransports {
  private static final Logger LOG = LoggerFactory.getLogger(SharedTransports.class);

  private final Supplier<HttpTransportProvider> provider;
  private final Map<Settings, Shared> open = new HashMap<>();

  /** @param provider gives the provider when the first transport is needed, so choosing it is lazy */
  SharedTransports(Supplier<HttpTransportProvider> provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /**
   * A lease on the transport for {@code context}, made now if no open sink uses one with these
   * settings.
   *
   * @throws RuntimeException what the provider throws when it cannot make the transport
   */
  synchronized Lease acquire(SinkContext context) {
    Settings key = Settings.of(context);
    Shared shared = open.get(key);
    if (shared == null) {
      shared = new Shared(key, provider.get().create(context));
      open.put(key, shared);
    }
    shared.leases++;
    return new Lease(shared);
  }

  /** How many transports are open now; for tests. */
  synchronized int openCount() {
    return open.size();
  }

  private void release(Shared shared) {
    boolean last;
    synchronized (this) {
      shared.leases--;
      last = shared.leases == 0;
      if (last) {
        open.remove(shared.key, shared);
      }
    }
    if (last) {
      // Outside the lock: closing a client may take a moment, and must not hold up other sinks.
      try {
        shared.transport.close();
      } catch (RuntimeException e) {
        LOG.debug("could not close an HTTP transport: {}", e.toString());
      }
    }
  }

  /** What a transport depends on; the resolver by identity. */
  private record Settings(boolean allowLocalNetwork, Duration connectTimeout, Duration requestTimeout,
      String userAgent, HostResolver hostResolver, List<X509Certificate> trustedCertificates) {
    static Settings of(SinkContext c) {
      return new Settings(c.allowLocalNetwork(), c.connectTimeout(), c.requestTimeout(), c.userAgent(),
          c.hostResolver(), c.trustedCertificates());
    }
  }

  private static final class Shared {
    final Settings key;
    final HttpTransport transport;
    int leases;

    Shared(Settings key, HttpTransport transport) {
      this.key = key;
      this.transport = Objects.requireNonNull(transport, "transport");
    }
  }

  /** One sink's use of a shared transport; {@link #release()} once, when the sink closes. */
  final class Lease {
    private final Shared shared;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Shared shared) {
      this.shared = shared;
    }

    HttpTransport transport() {
      return shared.transport;
    }

    /** Gives the lease back; closes the transport when it was the last. Idempotent. */
    void release() {
      if (released.compareAndSet(false, true)) {
        SharedTransports.this.release(shared);
      }
    }
  }
}
