package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.destination;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.MissingSinkException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MissingSinkReporterTest {
  private final Destination d = destination("acme", "siem").build();
  private final DestinationHealth health = new DestinationHealth(d.id());
  private final MissingSinkReporter reporter = new MissingSinkReporter(health);
  private final MissingSinkException missing =
      new MissingSinkException("test", "no sink for kind 'test': add io.example:sink-test");

  @Test
  void recordsEveryReportOnTheStatusWithTheArtifactToAdd() {
    Instant later = Instant.parse("2026-11-25T10:00:01Z");
    reporter.report(d, missing, Instant.parse("2026-11-25T10:00:00Z"));
    reporter.sinkAvailable();
    reporter.report(d, missing, later);

    DestinationStatus s = health.snapshot(0, 0);
    assertThat(s.consecutiveFailures()).isEqualTo(2);
    assertThat(s.lastFailureAt()).hasValue(later);
    assertThat(s.lastError()).hasValue("no sink for kind 'test': add io.example:sink-test");
  }
}
