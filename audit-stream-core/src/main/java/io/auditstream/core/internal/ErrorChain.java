package io.auditstream.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Describes a failure of a store or queue for a log line without its messages, which may quote what the
 * store holds (secrets included) or how to reach it. Internal; may change without notice. Stateless.
 */
final class ErrorChain {
  /** The most causes named. */
  private static final int MAX_CAUSES = 5;

  private ErrorChain() {}

  /** The classes of {@code e} and its causes, such as {@code "IllegalStateException caused by SQLException"}. */
  static String classes(Throwable e) {
    List<String> names = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t) && names.size() < MAX_CAUSES; t = t.getCause()) {
      names.add(t.getClass().getName());
    }
    return String.join(" caused by ", names);
  }
}
