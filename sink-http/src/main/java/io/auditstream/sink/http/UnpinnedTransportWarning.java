package io.auditstream.sink.http;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one warning that HTTP destinations are guarded against local network addresses on a transport
 * that cannot connect only to the addresses it checked (the JDK's client resolves the host name
 * again when it connects, so a DNS server that changes its answer in between, DNS rebinding, can
 * lead it to a refused address), and what fixes it. Logged at most once per instance; the sink
 * provider uses {@link #JVM}, so a host sees it once, at the first such sink, whatever the number of
 * destinations. Internal; thread-safe.
 */
final class UnpinnedTransportWarning {
  /** The instance every HTTP sink provider of this class loader shares. */
  static final UnpinnedTransportWarning JVM =
      new UnpinnedTransportWarning(LoggerFactory.getLogger(UnpinnedTransportWarning.class));

  private final Logger log;
  private final AtomicBoolean warned = new AtomicBoolean();

  UnpinnedTransportWarning(Logger log) {
    this.log = log;
  }

  /**
   * Logs the warning if it was not logged yet and {@code transport} does not connect only to checked
   * addresses while local network destinations are refused.
   *
   * @param transportName the transport provider's name, for the message
   * @return whether this call logged it
   */
  boolean warnIfUnpinned(boolean localNetworkAllowed, HttpTransport transport, String transportName) {
    if (localNetworkAllowed || transport.connectsOnlyToCheckedAddresses() || !warned.compareAndSet(false, true)) {
      return false;
    }
    log.warn("HTTP destinations on the '{}' transport are checked against local network addresses before each"
        + " request, but the client resolves the host name again when it connects: a DNS server that changes"
        + " its answer in between (DNS rebinding) could still lead a request to the local network. Add"
        + " io.auditstream:sink-http-apache5 to the class path, whose transport connects only to the checked"
        + " addresses, or filter outgoing traffic at the network level.", transportName);
    return true;
  }
}
