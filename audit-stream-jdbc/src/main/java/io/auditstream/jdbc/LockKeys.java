package io.auditstream.jdbc;

import java.nio.charset.StandardCharsets;

/**
 * The keys of PostgreSQL's advisory locks, derived from names so that every process sharing a database
 * derives the same key for the same thing: 64-bit FNV-1a of the name's UTF-8 bytes. Two names may share
 * a key; that only makes their holders wait for each other now and then. Internal; may change without
 * notice.
 */
final class LockKeys {
  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private LockKeys() {}

  /** The key of {@code what} (a kind of lock) on {@code name} in {@code schema}. */
  static long of(String what, String schema, String name) {
    long hash = OFFSET_BASIS;
    for (byte b : ("audit-stream\0" + what + "\0" + schema + "\0" + name).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= PRIME;
    }
    return hash;
  }
}
