package io.auditstream.core.internal;

import java.util.Collection;

/**
 * The hashes of a set of group paths, in an open-addressing table of {@code int}s: a look-up that reads
 * no path, for the host's thread ({@link RoutingTable#mayHaveActiveDestination}). Immutable, thread-safe.
 */
final class GroupHashes {
  // 0 marks an empty slot; a path whose hash is 0 is noted apart.
  private final int[] slots;
  private final int mask;
  private final boolean hasZero;

  private GroupHashes(int[] slots, boolean hasZero) {
    this.slots = slots;
    this.mask = slots.length - 1;
    this.hasZero = hasZero;
  }

  /** The hashes of {@code paths}. */
  static GroupHashes of(Collection<String> paths) {
    // At most half full, so that a miss ends after a probe or two.
    int size = Integer.highestOneBit(Math.max(1, paths.size()) * 2 - 1) << 1;
    int[] slots = new int[size];
    boolean hasZero = false;
    for (String path : paths) {
      int h = path.hashCode();
      if (h == 0) {
        hasZero = true;
        continue;
      }
      int i = spread(h) & (size - 1);
      while (slots[i] != 0 && slots[i] != h) {
        i = (i + 1) & (size - 1);
      }
      slots[i] = h;
    }
    return new GroupHashes(slots, hasZero);
  }

  /** Whether some path of the set has hash {@code h}. */
  boolean mayContain(int h) {
    if (h == 0) {
      return hasZero;
    }
    int i = spread(h) & mask;
    while (true) {
      int s = slots[i];
      if (s == h) {
        return true;
      }
      if (s == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  // Paths that differ in their last characters differ in the low bits of their hashes little; mix them in.
  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
