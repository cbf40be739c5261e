package io.auditstream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS certificate and its key, made with the JDK's {@code keytool} for the names a test
 * gives, for receivers in tests that speak HTTPS: the key store as a PKCS#12 file (WireMock and most
 * servers take one), the certificate to trust on the client side (for example with the streamer's
 * {@code trustedCertificates}). Valid for two days. Immutable; the file lives until the JVM exits.
 *
 * <pre>{@code
 * TestCertificate cert = TestCertificate.forNames("localhost", "127.0.0.1");
 * WireMockServer receiver = new WireMockServer(options().dynamicHttpsPort()
 *     .keystorePath(cert.keyStoreFile().toString()).keystoreType("PKCS12")
 *     .keystorePassword(cert.password()).keyManagerPassword(cert.password()));
 * AuditStreamer.builder().trustedCertificates(List.of(cert.certificate()))...
 * }</pre>
 */
public final class TestCertificate {
  private static final String PASSWORD = "test-certificate";

  private final Path keyStoreFile;
  private final X509Certificate certificate;

  private TestCertificate(Path keyStoreFile, X509Certificate certificate) {
    this.keyStoreFile = keyStoreFile;
    this.certificate = certificate;
  }

  /**
   * A new certificate for {@code names}: host names and IP addresses, the first also its common name.
   * Takes a second or so (a key pair is generated).
   *
   * @throws IllegalArgumentException when no name is given
   * @throws IllegalStateException when {@code keytool} fails
   */
  public static TestCertificate forNames(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("a certificate needs at least one name");
    }
    List<String> san = new ArrayList<>();
    for (String n : names) {
      Objects.requireNonNull(n, "name");
      san.add((n.matches("[0-9.]+") || n.contains(":") ? "ip:" : "dns:") + n);
    }
    try {
      return generate(names[0], String.join(",", san));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make a test certificate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a test certificate", e);
    }
  }

  private static TestCertificate generate(String commonName, String san)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("audit-stream-cert");
    Path file = dir.resolve("server.p12");
    Path log = dir.resolve("keytool.log");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=" + commonName, "-ext", "SAN=" + san, "-validity", "2",
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed: " + Files.readString(log));
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    file.toFile().deleteOnExit();
    log.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return new TestCertificate(file, (X509Certificate) store.getCertificate("server"));
  }

  /** The PKCS#12 key store holding the key and the certificate, under alias {@code server}. */
  public Path keyStoreFile() {
    return keyStoreFile;
  }

  /** The password of the key store and of its key. */
  public String password() {
    return PASSWORD;
  }

  /** The certificate, to trust on the client side. */
  public X509Certificate certificate() {
    return certificate;
  }

  @Override
  public String toString() {
    return "TestCertificate{" + certificate.getSubjectX500Principal().getName() + "}";
  }
}
