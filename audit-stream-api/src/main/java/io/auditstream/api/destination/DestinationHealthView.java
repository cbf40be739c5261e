package io.auditstream.api.destination;

import java.util.Objects;
import java.util.Optional;

/**
 * One destination as the host's operators see it: which group it belongs to, what it is, whether it is
 * switched off or paused, and its delivery health. Returned for every destination of every group by
 * {@code AuditStreamer.health()}, which checks no Owner: it is for the people who run the host, not for
 * the groups' users. It holds no secret: no verification token, no config.
 *
 * @param groupPath the top-level group the destination belongs to
 * @param name the destination's name
 * @param kind the destination's kind ({@code http}, {@code gcp}, {@code s3}, or a host's own)
 * @param active whether new events are routed to it ({@link Destination#active()})
 * @param status its delivery health, including why it is paused ({@link DestinationStatus#pausedReason()})
 */
public record DestinationHealthView(String groupPath, String name, String kind, boolean active,
    DestinationStatus status) {

  /** Checks that no component is null. */
  public DestinationHealthView {
    Objects.requireNonNull(groupPath, "groupPath");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }

  /** The view of {@code destination} with {@code status}, taking the paused reason from the destination. */
  public static DestinationHealthView of(Destination destination, DestinationStatus status) {
    return new DestinationHealthView(destination.groupPath(), destination.name(), destination.kind(),
        destination.active(), status.withPausedReason(destination.pausedReason()));
  }

  /** The destination. */
  public DestinationId destinationId() {
    return status.destinationId();
  }

  /** Why the destination is paused, if it is: its events wait in its backlog until it is resumed. */
  public Optional<String> pausedReason() {
    return status.pausedReason();
  }

  /** Whether the destination is paused. */
  public boolean paused() {
    return status.paused();
  }
}
