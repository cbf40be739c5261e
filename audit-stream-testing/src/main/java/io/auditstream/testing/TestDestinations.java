package io.auditstream.testing;

import io.auditstream.api.destination.DestinationDraft;

/** Drafts of destinations of kind {@value RecordingDestinationKind#KIND}, which need no network. */
public final class TestDestinations {
  private TestDestinations() {}

  /** A draft of a {@code test} destination; set a name, filters or a token on it as needed. */
  public static DestinationDraft.Builder draft() {
    return DestinationDraft.builder(RecordingDestinationConfig.of());
  }
}
