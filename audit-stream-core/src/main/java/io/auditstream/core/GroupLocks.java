package io.auditstream.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per top-level group, so that the changes of one group are serialised within this
 * process (uniqueness and limits hold under concurrent calls) while groups never wait on each
 * other. Groups are few compared with calls, so the map stays small. Thread-safe.
 */
final class GroupLocks {
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** Runs {@code action} holding {@code group}'s lock. */
  <T> T withLock(String group, Supplier<T> action) {
    ReentrantLock lock = locks.computeIfAbsent(group, g -> new ReentrantLock());
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
