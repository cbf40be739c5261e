package io.auditstream.testing;

import io.auditstream.api.destination.CustomDestinationConfig;
import io.auditstream.api.destination.DestinationDraft;
import java.util.Map;

/** Drafts of destinations of kind {@value RecordingSinkProvider#KIND}, which need no network. */
public final class TestDestinations {
  private TestDestinations() {}

  /** A draft of a {@code test} destination; set a name, filters or a token on it as needed. */
  public static DestinationDraft.Builder draft() {
    return DestinationDraft.builder(CustomDestinationConfig.of(RecordingSinkProvider.KIND, Map.of()));
  }
}
