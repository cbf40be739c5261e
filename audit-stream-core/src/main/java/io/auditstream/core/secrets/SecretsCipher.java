package io.auditstream.core.secrets;

import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.SecretKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a destination's secrets (its serialised secrets, whatever fields they hold) for a store, and
 * opens them again. The sealed text is self-describing: {@code v1:<keyId>:<base64(nonce || ciphertext
 * || tag)>}, AES-256-GCM with a random 96-bit nonce per encryption and a 128-bit tag. The associated
 * data is the format version, the key id and the destination's id, so a sealed value copied to another
 * destination's row, or relabelled with another key id, fails to open instead of loading.
 *
 * <p>Encrypts with the current key of its {@link SecretKeys}; decrypts with whichever of them the
 * sealed text names. {@link #needsReencryption} tells a store which rows a rotation must rewrite.
 *
 * <p>Thread-safe: every call uses a cipher of its own.
 */
public final class SecretsCipher {
  /** The prefix of every value this version seals. */
  public static final String FORMAT = "v1";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeys keys;

  private SecretsCipher(SecretKeys keys) {
    this.keys = keys;
  }

  /** A cipher over {@code keys}: it encrypts with the current key, and decrypts with any of them. */
  public static SecretsCipher of(SecretKeys keys) {
    return new SecretsCipher(Objects.requireNonNull(keys, "keys"));
  }

  /** The keys, whose current one encrypts. */
  public SecretKeys keys() {
    return keys;
  }

  /**
   * Seals {@code plaintext} for destination {@code id} under the current key.
   *
   * @return {@code v1:<keyId>:<base64>}, ASCII
   */
  public String encrypt(DestinationId id, String plaintext) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(plaintext, "plaintext");
    String keyId = keys.currentKeyId();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.key(keyId).orElseThrow(), nonce, keyId, id);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
      return FORMAT + ":" + keyId + ":" + Base64.getEncoder().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      // The JDK always has AES-GCM; this is a broken runtime, not bad input.
      throw new IllegalStateException("AES-GCM is not available in this Java runtime: " + e.getClass().getName(), e);
    }
  }

  /**
   * Opens what {@link #encrypt} sealed for destination {@code id}.
   *
   * @throws IllegalArgumentException naming the destination and, where the text names one, the key id,
   *     when the text is not sealed in this format, names a key that is not among the keys, or fails
   *     authentication (altered, or sealed for another destination); never quoting the text
   */
  public String decrypt(DestinationId id, String sealed) {
    Objects.requireNonNull(id, "id");
    Parts parts = parts(id, sealed);
    SecretKey key = keys.key(parts.keyId).orElseThrow(() -> new IllegalArgumentException("the secrets of"
        + " destination " + id.value() + " are encrypted with key '" + parts.keyId + "', which is not among the"
        + " keys given (" + String.join(", ", keys.keyIds()) + ")"));
    byte[] body;
    try {
      body = Base64.getDecoder().decode(parts.body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the secrets of destination " + id.value() + " (key '" + parts.keyId
          + "') are not valid base64");
    }
    if (body.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("the secrets of destination " + id.value() + " (key '" + parts.keyId
          + "') are too short to be sealed");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(body, NONCE_BYTES), parts.keyId, id);
      byte[] plain = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the secrets of destination " + id.value() + " fail authentication under"
          + " key '" + parts.keyId + "': they were altered, or sealed for another destination or with another"
          + " key of that id");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this Java runtime: " + e.getClass().getName(), e);
    }
  }

  /** Whether {@code stored} is sealed in this format (else it is plain, or something unknown). */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(FORMAT + ":");
  }

  /** The key id that sealed {@code stored}; empty when it is not sealed in this format. */
  public static Optional<String> keyIdOf(String stored) {
    if (!isSealed(stored)) {
      return Optional.empty();
    }
    int end = stored.indexOf(':', FORMAT.length() + 1);
    return end < 0 ? Optional.empty() : Optional.of(stored.substring(FORMAT.length() + 1, end));
  }

  /**
   * Whether a rotation must rewrite {@code stored}: it is not sealed, or sealed under a key other than
   * the current one.
   */
  public boolean needsReencryption(String stored) {
    return !keyIdOf(stored).map(keys.currentKeyId()::equals).orElse(false);
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId, DestinationId id)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(TRANSFORMATION);
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD((FORMAT + ":" + keyId + ":" + id.value()).getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static Parts parts(DestinationId id, String sealed) {
    Optional<String> keyId = keyIdOf(sealed);
    if (keyId.isEmpty()) {
      throw new IllegalArgumentException("the secrets of destination " + id.value() + " are not encrypted in"
          + " format " + FORMAT + " (v1:<keyId>:<base64>)");
    }
    return new Parts(keyId.get(), sealed.substring(FORMAT.length() + keyId.get().length() + 2));
  }

  private record Parts(String keyId, String body) {}
}
