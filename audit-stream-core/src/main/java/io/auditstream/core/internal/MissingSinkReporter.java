package io.auditstream.core.internal;

import io.auditstream.api.LogText;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a destination whose kind has no sink (the artifact that provides it is not on the
 * classpath). Its deliveries can never be made, so the lane fails them, {@value #BATCH} at a time,
 * rather than keep them queued forever; each failure is recorded on the destination's status, whose
 * last error names the artifact to add; and the warning is logged once, not once per batch (again
 * only after a sink could be made in between).
 *
 * <p>Not thread-safe: only the lane's running task uses it.
 */
final class MissingSinkReporter {
  /** How many deliveries the lane fails at a time when its destination's kind has no sink. */
  static final int BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(MissingSinkReporter.class);

  private final DestinationHealth health;
  private boolean logged;

  MissingSinkReporter(DestinationHealth health) {
    this.health = health;
  }

  /** Records that deliveries of {@code destination} cannot be made; the caller then fails them. */
  void report(Destination destination, MissingSinkException e, Instant at) {
    health.attemptFailed(e.getMessage(), false, at);
    if (!logged) {
      logged = true;
      log.warn("Destination {} ({}) cannot be delivered to: {}", destination.id(),
          LogText.escape(destination.name()), LogText.escape(e.getMessage()));
    }
  }

  /** A sink could be made: a later missing sink is worth a warning again. */
  void sinkAvailable() {
    logged = false;
  }
}
