package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.spi.AccessPolicy;
import org.junit.jupiter.api.Test;

class AuditStreamerRunningTest {
  @Test
  void aStreamerRunsFromItsBuildUntilItIsClosed() {
    AuditStreamer streamer = AuditStreamer.builder().accessPolicy(AccessPolicy.denyAll()).build();
    try {
      assertThat(streamer.running()).isTrue();
    } finally {
      streamer.close();
    }
    assertThat(streamer.running()).isFalse();
  }
}
