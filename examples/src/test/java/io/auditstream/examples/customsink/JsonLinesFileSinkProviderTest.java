package io.auditstream.examples.customsink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.CustomDestinationConfig;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.TestAccessPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileSinkProviderTest {
  private static final Actor ALICE = Actor.of("alice");

  private AuditStreamer discoveringStreamer() {
    // No sinkProviders(...): the engine must find the custom sink through ServiceLoader.
    return AuditStreamer.builder().accessPolicy(TestAccessPolicy.owners().grant("alice", "acme")).build();
  }

  @Test
  void isFoundThroughServiceLoaderAndAppendsOneJsonLinePerEvent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (AuditStreamer streamer = discoveringStreamer()) {
      streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(
          CustomDestinationConfig.of("jsonl-file", Map.of("path", file.toString()))).build());
      AuditEvent first = event("project_created", "acme/api");
      AuditEvent second = event("member_created", "acme/sub");
      streamer.stream(first);
      streamer.stream(second);
      assertThat(streamer.flush(Duration.ofSeconds(10))).isTrue();

      List<String> lines = Files.readAllLines(file);
      ObjectMapper json = new ObjectMapper();
      assertThat(lines).hasSize(2);
      assertThat(json.readTree(lines.get(0)).get("id").asText()).isEqualTo(first.id());
      assertThat(json.readTree(lines.get(1)).get("event_type").asText()).isEqualTo("member_created");
    }
  }

  @Test
  void refusesADestinationWithoutAPathNamingTheSetting() {
    try (AuditStreamer streamer = discoveringStreamer()) {
      assertThatThrownBy(() -> streamer.destinations().create(ALICE, "acme",
          DestinationDraft.builder(CustomDestinationConfig.of("jsonl-file", Map.of())).build()))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining("settings.path");
    }
  }

  private static AuditEvent event(String type, String projectPath) {
    return AuditEvent.builder().eventType(type).entity(EntityType.PROJECT, 7L, projectPath).build();
  }
}
