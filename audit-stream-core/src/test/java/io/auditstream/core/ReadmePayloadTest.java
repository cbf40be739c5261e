package io.auditstream.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's quick start streams one event, and its section "What a destination receives" shows that
 * event's payload: a reader compares the two, so they must agree. Only the id and the time differ from
 * one event to the next.
 */
class ReadmePayloadTest {
  // Tests run in the module's folder; the README is the repository's.
  private static final Path README = Path.of("..", "README.md");

  private static AuditEvent quickStartEvent() {
    return AuditEvent.builder()
        .eventType("project_created").author(1L, "Alice")
        .entity(EntityType.PROJECT, 42L, "acme/platform/api")
        .ipAddress("203.0.113.7").customMessage("Created project api")
        .build();
  }

  @Test
  void theQuickStartStreamsTheEventThisTestBuilds() throws IOException {
    String quickStart = withoutCommentsOrSpaces(codeBlock("## Quick start", "```java"));

    assertThat(quickStart).contains(withoutCommentsOrSpaces("""
        streamer.stream(AuditEvent.builder()
            .eventType("project_created").author(1L, "Alice")
            .entity(EntityType.PROJECT, 42L, "acme/platform/api")
            .ipAddress("203.0.113.7").customMessage("Created project api")
            .build());
        """));
  }

  @Test
  void theReadmePayloadIsWhatTheQuickStartEventEncodesToButForItsIdAndTime() throws IOException {
    AuditEvent event = quickStartEvent();
    String encoded = new String(AuditEventJson.encode(event), StandardCharsets.UTF_8);
    // Wrapped in the README after commas; the payload itself has no whitespace.
    String shown = codeBlock("## What a destination receives", "```json").lines().map(String::strip)
        .collect(Collectors.joining());

    String shownWithThisEventsIdAndTime = shown
        .replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"" + event.id() + "\"")
        .replaceFirst("\"created_at\":\"[^\"]*\"",
            "\"created_at\":\"" + AuditEventJson.createdAt(event.createdAt()) + "\"");
    assertThat(shownWithThisEventsIdAndTime).isEqualTo(encoded);
    // The id and time it shows are ones a payload could carry.
    AuditEvent read = AuditEventJson.decode(shown);
    assertThat(read.toBuilder().id(event.id()).createdAt(event.createdAt()).build()).isEqualTo(event);
  }

  /** The first block fenced with {@code fence} after the line {@code heading}, without its fences. */
  private static String codeBlock(String heading, String fence) throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int section = readme.indexOf("\n" + heading + "\n");
    assertThat(section).as("README section %s", heading).isNotNegative();
    int start = readme.indexOf("\n" + fence + "\n", section);
    assertThat(start).as("a %s block in README section %s", fence, heading).isNotNegative();
    int from = start + fence.length() + 2;
    int end = readme.indexOf("\n```", from);
    return readme.substring(from, end);
  }

  private static String withoutCommentsOrSpaces(String code) {
    return code.lines().map(l -> l.replaceAll("\\s*//.*$", "")).collect(Collectors.joining())
        .replaceAll("\\s+", "");
  }
}
