package io.auditstream.api.sink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a destination's host name into the addresses that {@link NetworkAddressPolicy} checks
 * before a sink connects. The engine hands one to every sink through {@link
 * SinkContext#hostResolver()}; the default is {@link #system()}.
 *
 * <p>A resolver of its own lets tests decide what a name resolves to without any DNS, and lets a
 * host with its own DNS policy (a split-horizon resolver, a fixed table) check names as its network
 * will see them. {@link NetworkAddressPolicy} runs every lookup on a thread of its own and waits
 * for it at most {@link SinkContext#connectTimeout()}, interrupting it then, so an implementation
 * needs no timeout of its own.
 *
 * <p>Only the address check goes through the resolver. Sinks whose client library resolves the
 * name again when it connects (the JDK's {@code HttpClient}, gRPC) connect wherever the JVM's
 * resolver says; the S3 sink connects only to the addresses this resolver returned.
 *
 * <p>Implementations must be thread-safe; they may block.
 */
@FunctionalInterface
public interface HostResolver {
  /**
   * The addresses of {@code host}, a host name (never an IP literal: those are not looked up).
   *
   * @return at least one address; an empty list counts as a name that does not resolve
   * @throws UnknownHostException when the name does not resolve
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /**
   * The JDK's resolver, {@link InetAddress#getAllByName(String)}: the operating system's
   * configuration and the JVM's DNS cache. Thread-safe; has no timeout of its own.
   */
  static HostResolver system() {
    return SystemHostResolver.INSTANCE;
  }
}
