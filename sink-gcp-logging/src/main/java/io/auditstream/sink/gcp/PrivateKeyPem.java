package io.auditstream.sink.gcp;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a service account's private key: an unencrypted PKCS#8 RSA key in PEM form, as the {@code
 * private_key} field of a JSON key file holds it (its newlines may still be escaped as {@code \n}). Messages name the problem and how to fix it, never
 * any part of the key, and never the JDK's own message (which could quote key bytes). Stateless.
 */
final class PrivateKeyPem {
  static final String FIELD = "privateKey";
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----", Pattern.DOTALL);
  private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem";

  private PrivateKeyPem() {}

  /**
   * The RSA private key in {@code pem}.
   *
   * @throws ValidationException on field {@value #FIELD} when it is not a readable PKCS#8 RSA key
   */
  static PrivateKey parse(Secret pem) {
    String text = pem.reveal();
    if (text.indexOf('\n') < 0 && text.contains("\\n")) {
      // Copied out of the JSON key file without decoding it (an environment variable, say): the
      // newlines are still written as \n.
      text = text.replace("\\n", "\n");
    }
    Matcher m = BLOCK.matcher(text);
    if (!m.find()) {
      throw invalid("privateKey must be a PEM block from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----"
          + " (the private_key field of the service account's JSON key file)");
    }
    String label = m.group(1);
    if (label.equals("RSA PRIVATE KEY")) {
      throw invalid("privateKey is a PKCS#1 key (BEGIN RSA PRIVATE KEY); only PKCS#8 (BEGIN PRIVATE KEY) is read: "
          + CONVERT);
    }
    if (label.equals("ENCRYPTED PRIVATE KEY")) {
      throw invalid("privateKey must not be encrypted: " + CONVERT);
    }
    if (!label.equals("PRIVATE KEY")) {
      throw invalid("privateKey must be a PKCS#8 private key (BEGIN PRIVATE KEY), not a PEM block labelled '"
          + label + "'");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw invalid("privateKey is not valid base64 between its BEGIN and END lines");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException rsaFailure) {
      if (readsAs("EC", der) || readsAs("Ed25519", der) || readsAs("DSA", der)) {
        throw invalid("privateKey must be an RSA key, as Google service account keys are (this is another"
            + " algorithm's key)");
      }
      throw invalid("privateKey is not a readable PKCS#8 RSA private key");
    }
  }

  private static boolean readsAs(String algorithm, byte[] der) {
    try {
      KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static ValidationException invalid(String message) {
    return new ValidationException(FIELD, message);
  }
}
