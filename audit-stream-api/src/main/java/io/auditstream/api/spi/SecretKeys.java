package io.auditstream.api.spi;

import io.auditstream.api.ValidationException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that encrypt destination secrets at rest (AES-256-GCM): each a 32-byte key with an id, one
 * of them current. A store encrypts with the current key and records its id beside the ciphertext; it
 * decrypts with whichever key that id names, so that after a rotation rows written under an older key
 * still load until they are re-encrypted. Build it with {@link #of}, {@link #ofBase64} or {@link #parse},
 * and add the keys being retired with {@link #withOlder}:
 *
 * <pre>{@code
 * SecretKeys keys = SecretKeys.ofBase64("2026-12", System.getenv("AUDIT_STREAM_KEY_2026_12"))
 *     .withOlder(SecretKeys.ofBase64("2026-01", System.getenv("AUDIT_STREAM_KEY_2026_01")));
 * }</pre>
 *
 * <p>A key id is 1 to {@value #MAX_KEY_ID_LENGTH} characters of letters, digits, {@code .}, {@code _}
 * and {@code -}; it is stored in plain beside every ciphertext, so it must not be secret. The key
 * material is never shown: {@link #toString()} names the ids only, and no message of this class quotes
 * a key.
 *
 * <p>Immutable and thread-safe: the key bytes are copied in, and {@link #key} hands out a key object
 * whose encoded form is a copy.
 */
public final class SecretKeys {
  /** The length of every key: 32 bytes (AES-256). */
  public static final int KEY_BYTES = 32;

  /** The longest key id. */
  public static final int MAX_KEY_ID_LENGTH = 64;

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_KEY_ID_LENGTH + "}");

  // Current key first; insertion order kept for toString and keyIds.
  private final Map<String, SecretKey> keys;

  private SecretKeys(Map<String, SecretKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * A keyring of one key, current.
   *
   * @param keyId the key's id, stored beside each ciphertext
   * @param key {@value #KEY_BYTES} random bytes; copied, so the caller may clear its array
   * @throws ValidationException on {@code keyId} or {@code key} when it breaks its rule
   */
  public static SecretKeys of(String keyId, byte[] key) {
    checkKeyId(keyId, "keyId");
    if (key == null || key.length != KEY_BYTES) {
      throw new ValidationException("key", "key must be " + KEY_BYTES + " bytes (AES-256) (was "
          + (key == null ? "null" : key.length + " bytes") + ")");
    }
    Map<String, SecretKey> map = new LinkedHashMap<>();
    map.put(keyId, new SecretKeySpec(key, "AES"));
    return new SecretKeys(map);
  }

  /**
   * A keyring of one key, current, given as base64 text (standard alphabet, with or without padding).
   *
   * @throws ValidationException on {@code keyId} or {@code key} when it breaks its rule; the message
   *     never quotes the text
   */
  public static SecretKeys ofBase64(String keyId, String base64Key) {
    checkKeyId(keyId, "keyId");
    byte[] key = decode(base64Key, "key");
    try {
      return of(keyId, key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Reads keys written as {@code keyId:base64Key}, several separated by commas (surrounding white space
   * ignored), the current one first: the form of a single environment variable, and of the key file that
   * an embedded store generates. {@code "2026-12:q83v...=,2026-01:7fDk...="} has current key {@code
   * 2026-12} and older key {@code 2026-01}.
   *
   * @throws ValidationException naming the entry ({@code keys[1]}) and the rule it breaks; never quoting
   *     a key
   */
  public static SecretKeys parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ValidationException("keys", "keys must be one or more keyId:base64Key entries, separated by"
          + " commas (was empty)");
    }
    String[] entries = text.split(",", -1);
    Map<String, SecretKey> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i++) {
      String field = "keys[" + i + "]";
      String entry = entries[i].strip();
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw new ValidationException(field, field + " must be keyId:base64Key");
      }
      String keyId = entry.substring(0, colon);
      checkKeyId(keyId, field);
      if (map.containsKey(keyId)) {
        throw new ValidationException(field, field + ": key id '" + keyId + "' is given twice");
      }
      byte[] key = decode(entry.substring(colon + 1), field);
      try {
        if (key.length != KEY_BYTES) {
          throw new ValidationException(field, field + " must hold a key of " + KEY_BYTES
              + " bytes (AES-256) (was " + key.length + " bytes)");
        }
        map.put(keyId, new SecretKeySpec(key, "AES"));
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    return new SecretKeys(map);
  }

  /**
   * These keys, with the current one unchanged, plus every key of {@code older} for decryption only:
   * rows written under those load, and a rotation re-encrypts them under the current key.
   *
   * @throws ValidationException on {@code keyId} when both keyrings have a key of the same id
   */
  public SecretKeys withOlder(SecretKeys older) {
    Objects.requireNonNull(older, "older");
    Map<String, SecretKey> map = new LinkedHashMap<>(keys);
    for (Map.Entry<String, SecretKey> e : older.keys.entrySet()) {
      if (map.putIfAbsent(e.getKey(), e.getValue()) != null) {
        throw new ValidationException("keyId", "key id '" + e.getKey() + "' is given twice");
      }
    }
    return new SecretKeys(map);
  }

  /** The id of the key that encrypts. */
  public String currentKeyId() {
    return keys.keySet().iterator().next();
  }

  /** Every key id, the current one first. */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  /**
   * The AES key of {@code keyId}, for the store's cipher; empty when there is none of that id. Never
   * log or show it.
   */
  public Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** The key ids, current first; never the key material. */
  @Override
  public String toString() {
    return "SecretKeys[current=" + currentKeyId() + ", older=" + keyIds().subList(1, keys.size()) + "]";
  }

  private static void checkKeyId(String keyId, String field) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new ValidationException(field, field + ": a key id must be 1 to " + MAX_KEY_ID_LENGTH
          + " letters, digits, '.', '_' or '-' (was " + (keyId == null ? "null" : keyId.length() + " characters")
          + ")");
    }
  }

  private static byte[] decode(String base64, String field) {
    if (base64 == null) {
      throw new ValidationException(field, field + " must be base64 text (was null)");
    }
    try {
      return Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // Not e's message: it may quote a character of the key.
      throw new ValidationException(field, field + " must be base64 text (standard alphabet)");
    }
  }
}
