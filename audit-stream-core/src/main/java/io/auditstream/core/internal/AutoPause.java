package io.auditstream.core.internal;

import io.auditstream.api.LogText;
import io.auditstream.api.destination.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a destination whose oldest delivery has kept failing for {@code after}: transient failures in a
 * row, with no success in between (see {@link DestinationHealth#failingSince()}). The pause is saved
 * through a {@link DestinationPauser} with the reason {@code "paused automatically after failing for
 * <after>: <last error>"}, logged at WARN and told to the listener's {@code onPaused}. Its events still
 * reach its backlog, which is bounded and ages out into dead letters, until an Owner resumes it.
 *
 * <p>The time counts from the first failure this engine saw: after a restart it counts again (the ages of
 * the backlog, by which deliveries become dead letters, are kept by a durable queue). A zero {@code after}
 * turns automatic pauses off.
 *
 * <p>Thread-safe: lanes call {@link #afterFailure} from their own threads.
 */
final class AutoPause {
  private static final Logger log = LoggerFactory.getLogger(AutoPause.class);

  private final Duration after;
  private final DestinationPauser pauser;
  private final ListenerNotifier listener;
  private final DropCounter saveFailures = new DropCounter();

  /**
   * @param after how long a destination may keep failing before it is paused; zero: never
   * @throws IllegalArgumentException when {@code after} is negative
   */
  AutoPause(Duration after, DestinationPauser pauser, ListenerNotifier listener) {
    if (after.isNegative()) {
      throw new IllegalArgumentException("autoPauseAfter must be zero (off) or positive (was " + after + ")");
    }
    this.after = after;
    this.pauser = Objects.requireNonNull(pauser, "pauser");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** An automatic pause that never pauses. */
  static AutoPause off(ListenerNotifier listener) {
    return new AutoPause(Duration.ZERO, DestinationPauser.NONE, listener);
  }

  /** Whether destinations are ever paused automatically. */
  boolean enabled() {
    return !after.isZero();
  }

  /**
   * An attempt to deliver to {@code d} failed for now at {@code now}, saying {@code error}, the destination
   * failing since {@code failingSince} (null: it is not). Pauses it when that was at least {@code after}
   * ago and it is not paused yet. Blocks while the pause is saved; a store that fails is logged at WARN (at
   * most once per {@link DropCounter#WARN_INTERVAL}) and the pause is tried again at the next failure.
   */
  void afterFailure(Destination d, Instant failingSince, String error, Instant now) {
    if (!enabled() || d.paused() || failingSince == null
        || Duration.between(failingSince, now).compareTo(after) < 0) {
      return;
    }
    String reason = reason(after, error);
    boolean paused;
    try {
      paused = pauser.pause(d.id(), reason);
    } catch (RuntimeException e) {
      if (saveFailures.drop()) {
        log.warn("Destination {} ({}) of group {} has been failing for {} but could not be paused ({} failures so "
            + "far): {}", d.id(), LogText.escape(d.name()), d.groupPath(), describe(after), saveFailures.count(),
                e.toString());
      }
      return;
    }
    if (paused) {
      log.warn("Destination {} ({}) of group {} {}; its events wait in its backlog until an Owner resumes it",
          d.id(), LogText.escape(d.name()), d.groupPath(), LogText.escape(reason));
      listener.paused(d.id(), reason);
    }
  }

  /**
   * The reason of an automatic pause: {@code "paused automatically after failing for 1 day: <error>"},
   * the error cut short so that the reason fits {@link Destination#MAX_PAUSED_REASON_LENGTH}.
   */
  static String reason(Duration after, String error) {
    // Escaped: the reason is saved, where control characters are refused, and logged.
    String reason = "paused automatically after failing for " + describe(after) + ": " + LogText.escape(error);
    int max = Destination.MAX_PAUSED_REASON_LENGTH;
    return reason.length() <= max ? reason : reason.substring(0, max - 3) + "...";
  }

  /** A duration as people write it: {@code "1 day"}, {@code "2 hours 30 minutes"}, {@code "250 milliseconds"}. */
  static String describe(Duration d) {
    List<String> parts = new ArrayList<>();
    add(parts, d.toDaysPart(), "day");
    add(parts, d.toHoursPart(), "hour");
    add(parts, d.toMinutesPart(), "minute");
    add(parts, d.toSecondsPart(), "second");
    add(parts, d.toMillisPart(), "millisecond");
    return parts.isEmpty() ? d.toString() : String.join(" ", parts);
  }

  private static void add(List<String> parts, long n, String unit) {
    if (n != 0) {
      parts.add(n + " " + unit + (n == 1 ? "" : "s"));
    }
  }
}
