package io.auditstream.api.sink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** {@link HostResolver#system()}: the JDK's {@link InetAddress#getAllByName(String)}. Internal. */
enum SystemHostResolver implements HostResolver {
  INSTANCE;

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    return List.of(InetAddress.getAllByName(host));
  }

  @Override
  public String toString() {
    return "HostResolver.system()";
  }
}
