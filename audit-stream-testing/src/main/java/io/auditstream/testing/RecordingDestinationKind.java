package io.auditstream.testing;

import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.StoredConfig;

/**
 * The contract of destinations of kind {@value #KIND}: stored as their label, no secrets, nothing
 * unique but the name. Listed for {@link java.util.ServiceLoader}, so that stores read such
 * destinations back. Stateless.
 */
public final class RecordingDestinationKind implements DestinationKind<RecordingDestinationConfig> {
  /** The kind's name. */
  public static final String KIND = "test";

  /** Use {@link RecordingDestinationConfig#DESTINATION_KIND}; public for {@link java.util.ServiceLoader}. */
  public RecordingDestinationKind() {}

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Class<RecordingDestinationConfig> configType() {
    return RecordingDestinationConfig.class;
  }

  @Override
  public String artifact() {
    return "io.auditstream:audit-stream-testing";
  }

  @Override
  public StoredConfig encode(RecordingDestinationConfig config) {
    return StoredConfig.builder().setting("label", config.label()).build();
  }

  @Override
  public RecordingDestinationConfig decode(StoredConfig stored) {
    return new RecordingDestinationConfig(stored.optionalText("label").orElse(""));
  }
}
