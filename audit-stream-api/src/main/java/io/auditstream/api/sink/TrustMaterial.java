package io.auditstream.api.sink;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of a {@link SinkContext}: the JVM's default trust anchors plus the certificates the host
 * added. Built once per context, on first use. Thread-safe. Internal; may change without notice.
 */
final class TrustMaterial {
  private final List<X509Certificate> added;
  private volatile Built built;

  private record Built(SSLContext sslContext, X509TrustManager trustManager) {}

  TrustMaterial(List<X509Certificate> added) {
    this.added = List.copyOf(added);
  }

  List<X509Certificate> added() {
    return added;
  }

  SSLContext sslContext() {
    return built().sslContext();
  }

  X509TrustManager trustManager() {
    return built().trustManager();
  }

  private Built built() {
    Built b = built;
    if (b == null) {
      synchronized (this) {
        b = built;
        if (b == null) {
          b = build();
          built = b;
        }
      }
    }
    return b;
  }

  private Built build() {
    try {
      X509TrustManager jvm = trustManagerOf(null);
      if (added.isEmpty()) {
        return new Built(SSLContext.getDefault(), jvm);
      }
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate c : jvm.getAcceptedIssuers()) {
        anchors.setCertificateEntry("jvm-" + n++, c);
      }
      for (X509Certificate c : added) {
        anchors.setCertificateEntry("host-" + n++, c);
      }
      X509TrustManager combined = trustManagerOf(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {combined}, null);
      return new Built(context, combined);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not set up TLS trust (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The X.509 trust manager over {@code anchors}, or over the JVM's default trust store when null. */
  private static X509TrustManager trustManagerOf(KeyStore anchors) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(anchors);
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }
}
