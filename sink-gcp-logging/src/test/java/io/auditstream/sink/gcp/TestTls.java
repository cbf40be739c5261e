package io.auditstream.sink.gcp;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made once per test JVM with
 * the JDK's {@code keytool}: the server side as gRPC server credentials, the client side as channel
 * credentials that trust exactly that certificate (never JVM-wide trust settings).
 */
public final class TestTls {
  private static final char[] PASSWORD = "test-keystore-pass".toCharArray();
  private static TestTls instance;

  private final KeyManagerFactory keyManagers;
  private final TrustManagerFactory trustManagers;
  private final X509Certificate certificate;

  private TestTls(KeyStore store) throws GeneralSecurityException {
    certificate = (X509Certificate) store.getCertificate("server");
    keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(store, PASSWORD);
    trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(store);
  }

  /** The certificate of this JVM, made on first use. */
  public static synchronized TestTls get() {
    if (instance == null) {
      try {
        instance = new TestTls(generate());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("could not make a test certificate", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while making a test certificate", e);
      }
    }
    return instance;
  }

  private static KeyStore generate() throws IOException, InterruptedException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("audit-stream-tls");
    Path file = dir.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD),
        "-keypass", new String(PASSWORD)))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("keytool.log").toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir.resolve("keytool.log"));
    Files.deleteIfExists(dir);
    return store;
  }

  /** The certificate, for a streamer's {@code trustedCertificates}. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A TLS context that presents the certificate, for an HTTPS server. */
  public SSLContext serverSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make a server TLS context", e);
    }
  }

  /** What a gRPC server presents. */
  public ServerCredentials serverCredentials() {
    return TlsServerCredentials.newBuilder().keyManager(keyManagers.getKeyManagers()).build();
  }

  /** What a client uses to trust the server's certificate, and nothing else. */
  public ChannelCredentials channelCredentials() {
    return TlsChannelCredentials.newBuilder().trustManager(trustManagers.getTrustManagers()).build();
  }
}
