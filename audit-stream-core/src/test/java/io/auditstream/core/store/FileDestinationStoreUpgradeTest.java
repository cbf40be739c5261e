package io.auditstream.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination store file that an earlier version wrote (format version 2, secrets in plain text) with
 * destinations its looser rules accepted: every one of them still loads, with what was stored kept, and
 * is written back unchanged.
 */
class FileDestinationStoreUpgradeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DestinationKinds KINDS = DestinationKinds.discover();

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("destinations.json");
  }

  private FileDestinationStore openEarlierFile() throws IOException {
    Files.writeString(file(), FileDestinationStoreUpgradeTestFiles.earlierFile());
    return FileDestinationStore.open(file(), KINDS);
  }

  @Test
  void loadsANameAndAPausedReasonWithLineBreaksAsStored() throws IOException {
    try (FileDestinationStore store = openEarlierFile()) {
      assertThat(store.findAll()).hasSize(5);
      assertThat(store.find(DestinationId.of("name-nl")).orElseThrow().name()).isEqualTo("SIEM\nprod");
      Destination paused = store.find(DestinationId.of("reason-nl")).orElseThrow();
      assertThat(paused.pausedReason()).contains("maintenance\nuntil Monday");
      assertThat(paused.config()).isInstanceOf(HttpDestinationConfig.class);
    }
  }

  @Test
  void keepsAConfigThatBreaksANewRuleAsStoredAndNamesTheRule() throws IOException {
    try (FileDestinationStore store = openEarlierFile()) {
      Map<String, String> fields = Map.of("header-utf", "headers[0].value", "host-num", "destinationUrl",
          "ctype-utf", "contentType");
      fields.forEach((id, field) -> {
        Destination d = store.find(DestinationId.of(id)).orElseThrow();
        assertThat(d.kind()).isEqualTo("http");
        assertThat(d.config()).as(id).isInstanceOf(UnavailableDestinationConfig.class);
        UnavailableDestinationConfig kept = (UnavailableDestinationConfig) d.config();
        assertThat(kept.artifact()).contains("io.auditstream:sink-http");
        assertThat(KINDS.brokenRules(kept)).as(id).hasValueSatisfying(e ->
            assertThat(e.violations()).extracting(ValidationException.Violation::field).containsExactly(field));
      });
      UnavailableDestinationConfig header = (UnavailableDestinationConfig) store.find(DestinationId.of("header-utf"))
          .orElseThrow().config();
      assertThat(header.stored().secrets().get("headers[0].value").reveal()).isEqualTo("Bearer caf\u00e9-\u2713");
      UnavailableDestinationConfig host = (UnavailableDestinationConfig) store.find(DestinationId.of("host-num"))
          .orElseThrow().config();
      assertThat(host.stored().settings()).containsEntry("destinationUrl", "https://2130706433/in");
      assertThat(KINDS.brokenRules(host).orElseThrow().getMessage()).contains("write it as 127.0.0.1");
    }
  }

  @Test
  void writesTheKeptDestinationsBackUnchangedAndDeletesThem() throws IOException {
    try (FileDestinationStore store = openEarlierFile()) {
      Destination renamed = store.find(DestinationId.of("ctype-utf")).orElseThrow().toBuilder().name("Renamed").build();
      store.save(renamed);
      assertThat(store.delete(DestinationId.of("host-num"))).isTrue();
    }

    JsonNode written = MAPPER.readTree(file().toFile());
    assertThat(written.get("formatVersion").asInt()).isEqualTo(3);
    try (FileDestinationStore reopened = FileDestinationStore.open(file(), KINDS)) {
      assertThat(reopened.findAll()).extracting(d -> d.id().value())
          .containsExactlyInAnyOrder("name-nl", "reason-nl", "header-utf", "ctype-utf");
      Destination renamed = reopened.find(DestinationId.of("ctype-utf")).orElseThrow();
      assertThat(renamed.name()).isEqualTo("Renamed");
      assertThat(((UnavailableDestinationConfig) renamed.config()).stored().settings())
          .containsEntry("contentType", "application/json; profile=r\u00e9sum\u00e9");
      assertThat(((UnavailableDestinationConfig) reopened.find(DestinationId.of("header-utf")).orElseThrow().config())
          .stored().secrets().get("headers[0].value").reveal()).isEqualTo("Bearer caf\u00e9-\u2713");
      assertThat(reopened.find(DestinationId.of("name-nl")).orElseThrow().name()).isEqualTo("SIEM\nprod");
    }
  }
}
