package io.auditstream.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.core.AuditStreamer;
import io.auditstream.examples.customsink.JsonLinesFileSinkProvider;
import io.auditstream.spring.AuditStreamerCustomizer;
import io.auditstream.spring.testapp.Receiver;
import io.auditstream.spring.testapp.TestHost;
import io.auditstream.spring.web.ApiClient.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** A host's own destination kind through the REST API: its category is its name, its config its settings. */
@SpringBootTest(classes = {TestHost.class, CustomKindApiTest.Sinks.class}, properties = "audit-stream.api.enabled=true")
@AutoConfigureMockMvc
class CustomKindApiTest {
  private static final String KEY = "jsonl-signing-key-0123456789";

  @TempDir
  static Path data;

  @TempDir
  static Path root;

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("audit-stream.store.data-dir", () -> data.toString());
  }

  @TestConfiguration
  static class Sinks {
    @Bean
    AuditStreamerCustomizer jsonLinesFiles() {
      return b -> b.addSinkProvider(new JsonLinesFileSinkProvider(root));
    }
  }

  @Autowired
  MockMvc mvc;

  @Autowired
  AuditStreamer streamer;

  @Test
  void aCustomKindIsCreatedByItsNameWithItsSecretWriteOnlyAndDelivers() throws Exception {
    ApiClient api = new ApiClient(mvc);
    Answer created = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("name", "files",
        "category", "jsonl-file", "secretToken", KEY, "config", Map.of("path", "audit.jsonl")));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.map()).containsEntry("category", "jsonl-file")
        .containsEntry("config", Map.of("path", "audit.jsonl"));
    assertThat(created.body()).doesNotContain(KEY);

    AuditEvent event = AuditEvent.builder().eventType("project_created").entity(EntityType.PROJECT, 1L, "acme/web")
        .build();
    assertThat(streamer.stream(event)).isTrue();
    Path file = root.resolve("acme").resolve("audit.jsonl");
    assertThat(Receiver.eventually(Duration.ofSeconds(20),
        () -> Files.exists(file) && read(file).contains(event.id()))).isTrue();

    Answer missing = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("category", "jsonl-file",
        "config", Map.of("path", "../escape.jsonl"), "secretToken", KEY));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("config.path").doesNotContain(KEY);
  }

  @Test
  void whatTheKindsProviderRefusesWhenSavedIsNamedUnderConfig() throws Exception {
    ApiClient api = new ApiClient(mvc);
    // A folder where the file would be: only the provider, looking at the disk when the destination is
    // saved, can tell.
    Files.createDirectories(root.resolve("acme").resolve("a-folder"));

    Answer refused = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("category", "jsonl-file",
        "config", Map.of("path", "a-folder"), "secretToken", KEY));

    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("\"field\":\"config.path\"").contains("not a folder").doesNotContain(KEY);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
