package io.auditstream.testing;

import org.assertj.core.api.Assertions;

/**
 * Entry point of audit-stream's AssertJ assertions; extends {@link Assertions}, so one static
 * import serves both.
 *
 * <pre>{@code
 * assertThat(sink).receivedEventOfType("user_created");
 * assertThat(sink).forDestination(destination).receivedCount(3);
 * }</pre>
 */
public class AuditStreamAssertions extends Assertions {
  /** For subclasses that add assertions of their own; use the static methods directly otherwise. */
  protected AuditStreamAssertions() {}

  /** Assertions on what a recording sink provider's sinks received. */
  public static ReceivedEventsAssert assertThat(RecordingSinkProvider sink) {
    return new ReceivedEventsAssert(sink.received(), "all destinations", sink::destinationName);
  }
}
