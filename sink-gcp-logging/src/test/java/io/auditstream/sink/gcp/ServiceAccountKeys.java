package io.auditstream.sink.gcp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/** An RSA key pair made in the test, with the private key as a service account's PEM. */
public final class ServiceAccountKeys {
  private final KeyPair pair;

  private ServiceAccountKeys(KeyPair pair) {
    this.pair = pair;
  }

  /** A new 2048-bit RSA key pair. */
  public static ServiceAccountKeys generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return new ServiceAccountKeys(g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key as PKCS#8 PEM, as the {@code private_key} of a JSON key file holds it. */
  public String privateKeyPem() {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  /** A stretch of the private key's base64 body (unique to this key), to search logs and messages for. */
  public String privateKeyBody() {
    return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()).substring(400, 464);
  }

  public RSAPublicKey publicKey() {
    return (RSAPublicKey) pair.getPublic();
  }

  static String pem(String label, byte[] der) {
    String body = new String(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
        StandardCharsets.US_ASCII);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
