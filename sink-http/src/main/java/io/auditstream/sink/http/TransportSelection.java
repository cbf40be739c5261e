package io.auditstream.sink.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link HttpTransportProvider} of an {@link HttpSinkProvider} that was not given one:
 * one found through {@link ServiceLoader} wins over the JDK default. Internal; may change without
 * notice. Stateless and thread-safe.
 */
final class TransportSelection {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSinkProvider.class);

  private TransportSelection() {}

  /**
   * The provider found through {@code loader}, the first by class name when there are several (with
   * a warning naming them all), or {@link JdkHttpTransportProvider} when there is none. Logs the
   * choice at INFO.
   */
  static HttpTransportProvider discover(ClassLoader loader) {
    List<HttpTransportProvider> found = new ArrayList<>();
    var it = ServiceLoader.load(HttpTransportProvider.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        // A transport whose library is missing must not stop HTTP destinations: the JDK's still works.
        LOG.warn("Ignoring an HTTP transport that could not be loaded: {}", e.getMessage());
      }
    }
    if (found.isEmpty()) {
      HttpTransportProvider jdk = new JdkHttpTransportProvider();
      LOG.info("HTTP destinations use the {} transport (java.net.http); add io.auditstream:sink-http-apache5"
          + " for more requests per second", jdk.name());
      return jdk;
    }
    found.sort(Comparator.comparing(p -> p.getClass().getName()));
    HttpTransportProvider chosen = found.get(0);
    if (found.size() > 1) {
      LOG.warn("Several HTTP transports are on the class path ({}); using {}",
          found.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", ")),
          chosen.getClass().getName());
    }
    LOG.info("HTTP destinations use the {} transport ({}, found on the class path)", chosen.name(),
        chosen.getClass().getName());
    return chosen;
  }

  /** Logs at INFO that the host chose {@code given}. */
  static HttpTransportProvider given(HttpTransportProvider given) {
    LOG.info("HTTP destinations use the {} transport ({}, given by the host)", given.name(),
        given.getClass().getName());
    return given;
  }
}
