package io.auditstream.testing;

import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import java.util.Objects;

/**
 * The config of a destination of kind {@value RecordingDestinationKind#KIND}, delivered by a {@link
 * RecordingSinkProvider}: no network, only an optional {@code label} for the test's own use.
 *
 * @param label anything the test likes; may be empty, never null
 */
public record RecordingDestinationConfig(String label) implements DestinationConfig {
  /** The kind's contract. */
  public static final DestinationKind<RecordingDestinationConfig> DESTINATION_KIND = new RecordingDestinationKind();

  /**
   * Creates the config.
   *
   * @throws NullPointerException when {@code label} is null
   */
  public RecordingDestinationConfig {
    Objects.requireNonNull(label, "label");
  }

  /** A config without a label. */
  public static RecordingDestinationConfig of() {
    return new RecordingDestinationConfig("");
  }

  @Override
  public DestinationKind<RecordingDestinationConfig> destinationKind() {
    return DESTINATION_KIND;
  }
}
