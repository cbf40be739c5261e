package io.auditstream.jdbc;

import io.auditstream.api.spi.SecretKeys;
import java.util.Arrays;

/** Fixed keys for the tests' stores: every instance (and child JVM) of a test gets the same ones. */
final class TestKeys {
  /** The key every PostgreSQL store of the tests encrypts destination secrets with. */
  static final SecretKeys KEYS = SecretKeys.of("test-1", filled(7));

  private TestKeys() {}

  /** A 32-byte key of one repeated byte. */
  static byte[] filled(int b) {
    byte[] key = new byte[SecretKeys.KEY_BYTES];
    Arrays.fill(key, (byte) b);
    return key;
  }
}
