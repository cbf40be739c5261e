package io.auditstream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A TLS certificate and its key, made with the JDK's {@code keytool} for the names a test gives, for
 * receivers in tests that speak HTTPS: the key store as a PKCS#12 file (WireMock and most servers take
 * one), the certificate to trust on the client side (for example with the streamer's {@code
 * trustedCertificates}). Self-signed and valid for two days ({@link #forNames}), or signed by a test
 * certificate authority for the dates a test gives ({@link #authority}, {@link #issue}), so that a test
 * can present a certificate that is trusted and for the right name, yet expired or not yet valid.
 * Immutable; the files live until the JVM exits.
 *
 * <pre>{@code
 * TestCertificate cert = TestCertificate.forNames("localhost", "127.0.0.1");
 * WireMockServer receiver = new WireMockServer(options().dynamicHttpsPort()
 *     .keystorePath(cert.keyStoreFile().toString()).keystoreType("PKCS12")
 *     .keystorePassword(cert.password()).keyManagerPassword(cert.password()));
 * AuditStreamer.builder().trustedCertificates(List.of(cert.certificate()))...
 *
 * TestCertificate ca = TestCertificate.authority("Test CA");
 * Instant expiry = Instant.now().minus(Duration.ofDays(1));
 * TestCertificate expired = ca.issue(expiry.minus(Duration.ofDays(30)), expiry, "localhost");
 * AuditStreamer.builder().trustedCertificates(List.of(ca.certificate()))...
 * }</pre>
 */
public final class TestCertificate {
  private static final String PASSWORD = "test-certificate";
  private static final String ALIAS = "server";
  private static final Duration DAY = Duration.ofDays(1);
  // keytool reads -startdate in the zone of its own JVM, which is set to UTC when it is started.
  private static final DateTimeFormatter KEYTOOL_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private final Path keyStoreFile;
  private final X509Certificate certificate;

  private TestCertificate(Path keyStoreFile, X509Certificate certificate) {
    this.keyStoreFile = keyStoreFile;
    this.certificate = certificate;
  }

  /**
   * A new self-signed certificate for {@code names}: host names and IP addresses, the first also its
   * common name. Valid from now for two days. Takes a second or so (a key pair is generated).
   *
   * @throws IllegalArgumentException when no name is given
   * @throws IllegalStateException when {@code keytool} fails
   */
  public static TestCertificate forNames(String... names) {
    return make(names, Instant.now(), 2, false, null);
  }

  /**
   * A new certificate authority named {@code commonName}, to trust on the client side in place of the
   * certificates it {@linkplain #issue issues}. Valid from a year ago for two years, so that it covers
   * the dates of what it issues in a test. Takes a second or so.
   *
   * @throws IllegalStateException when {@code keytool} fails
   */
  public static TestCertificate authority(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    return make(new String[] {commonName}, Instant.now().minus(Duration.ofDays(365)), 730, true, null);
  }

  /**
   * A new certificate for {@code names} (as {@link #forNames}), signed with this certificate's key, valid
   * from {@code notBefore} to {@code notAfter}, to the second. Its key store holds the chain up to this
   * certificate, so a server presents both. Meant for a certificate of {@link #authority}: a client
   * that trusts that one then refuses this one for its dates alone when they do not cover the present.
   * Takes a few seconds (a key pair is generated, and signed).
   *
   * @throws IllegalArgumentException when no name is given, or when {@code notAfter} is not a whole
   *     number of days, at least one, after {@code notBefore} ({@code keytool} counts validity in days)
   * @throws IllegalStateException when {@code keytool} fails
   */
  public TestCertificate issue(Instant notBefore, Instant notAfter, String... names) {
    Duration validity = Duration.between(notBefore, notAfter);
    if (validity.compareTo(DAY) < 0 || !validity.equals(DAY.multipliedBy(validity.toDays()))) {
      throw new IllegalArgumentException("a test certificate is valid for whole days, at least one; got "
          + validity);
    }
    return make(names, notBefore, validity.toDays(), false, this);
  }

  private static TestCertificate make(String[] names, Instant notBefore, long days, boolean authority,
      TestCertificate issuer) {
    if (names.length == 0) {
      throw new IllegalArgumentException("a certificate needs at least one name");
    }
    List<String> san = new ArrayList<>();
    for (String n : names) {
      Objects.requireNonNull(n, "name");
      san.add((n.matches("[0-9.]+") || n.contains(":") ? "ip:" : "dns:") + n);
    }
    String extension = authority ? "bc:c" : "SAN=" + String.join(",", san);
    try {
      return generate(names[0], extension, notBefore, days, issuer);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make a test certificate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a test certificate", e);
    }
  }

  private static TestCertificate generate(String commonName, String extension, Instant notBefore, long days,
      TestCertificate issuer) throws IOException, InterruptedException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("audit-stream-cert");
    Path file = dir.resolve("server.p12");
    Path log = dir.resolve("keytool.log");
    // Deleted in the reverse order of registration: the directory last.
    List<Path> files = new ArrayList<>(List.of(dir, file, log));
    String startDate = KEYTOOL_DATE.format(notBefore.truncatedTo(ChronoUnit.SECONDS));
    keytool(log, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-dname",
        "CN=" + commonName, "-ext", extension, "-startdate", startDate, "-validity", Long.toString(days),
        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD.toCharArray());
    }
    if (issuer != null) {
      Path request = dir.resolve("server.csr");
      Path issued = dir.resolve("server.pem");
      files.addAll(List.of(request, issued));
      keytool(log, "-certreq", "-alias", ALIAS, "-keystore", file.toString(), "-storepass", PASSWORD,
          "-file", request.toString());
      keytool(log, "-gencert", "-alias", ALIAS, "-keystore", issuer.keyStoreFile.toString(), "-storepass", PASSWORD,
          "-infile", request.toString(), "-outfile", issued.toString(), "-rfc", "-ext", extension,
          "-startdate", startDate, "-validity", Long.toString(days));
      List<Certificate> chain = new ArrayList<>();
      try (InputStream in = Files.newInputStream(issued)) {
        chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      chain.add(issuer.certificate);
      Key key = store.getKey(ALIAS, PASSWORD.toCharArray());
      store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, PASSWORD.toCharArray());
      }
    }
    for (Path p : files) {
      p.toFile().deleteOnExit();
    }
    return new TestCertificate(file, (X509Certificate) store.getCertificate(ALIAS));
  }

  private static void keytool(Path log, String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.add("-J-Duser.timezone=UTC");
    command.addAll(List.of(arguments));
    Process p = new ProcessBuilder(command)
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
