package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpBatchingTest {
  private static final String URL = "https://siem.example.com/in";

  private static void rejects(Runnable build, String field, String messagePart) {
    assertThatThrownBy(build::run)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(messagePart);
  }

  @Test
  void defaultsAreAHundredEventsOneMebibyteAndTwoHundredMilliseconds() {
    HttpBatching d = HttpBatching.defaults();

    assertThat(d.maxEvents()).isEqualTo(100);
    assertThat(d.maxBytes()).isEqualTo(1024 * 1024);
    assertThat(d.linger()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void acceptsTheBoundsOfEveryField() {
    assertThat(new HttpBatching(2, 1024, Duration.ZERO).maxEvents()).isEqualTo(2);
    assertThat(new HttpBatching(1000, 10L * 1024 * 1024, Duration.ofSeconds(10)).maxBytes())
        .isEqualTo(10L * 1024 * 1024);
  }

  @Test
  void rejectsMaxEventsOutsideTwoToAThousandNamingTheField() {
    rejects(() -> HttpBatching.defaults().withMaxEvents(1), "batching.maxEvents",
        "batching.maxEvents must be 2 to 1000 (was 1)");
    rejects(() -> HttpBatching.defaults().withMaxEvents(1001), "batching.maxEvents", "(was 1001)");
  }

  @Test
  void rejectsMaxBytesOutsideOneKibibyteToTenMebibytesNamingTheField() {
    rejects(() -> HttpBatching.defaults().withMaxBytes(1023), "batching.maxBytes",
        "batching.maxBytes must be 1024 (1 KiB) to 10485760 (10 MiB) (was 1023)");
    rejects(() -> HttpBatching.defaults().withMaxBytes(10L * 1024 * 1024 + 1), "batching.maxBytes", "(was 10485761)");
  }

  @Test
  void rejectsALingerThatIsNegativeLongerThanTenSecondsOrMissing() {
    rejects(() -> HttpBatching.defaults().withLinger(Duration.ofMillis(-1)), "batching.linger",
        "batching.linger must be 0 to 10 seconds (was PT-0.001S)");
    rejects(() -> HttpBatching.defaults().withLinger(Duration.ofSeconds(10).plusNanos(1)), "batching.linger",
        "batching.linger must be 0 to 10 seconds");
    rejects(() -> HttpBatching.defaults().withLinger(null), "batching.linger", "batching.linger is required");
  }

  @Test
  void reportsEveryBrokenRuleAtOnce() {
    assertThatThrownBy(() -> new HttpBatching(0, 0, Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field)
            .containsExactly("batching.maxEvents", "batching.maxBytes", "batching.linger"));
  }

  @Test
  void configHasBatchingOffUnlessSet() {
    HttpDestinationConfig plain = HttpDestinationConfig.of(URL);
    HttpDestinationConfig batched = plain.toBuilder().batching(HttpBatching.defaults()).build();

    assertThat(plain.batching()).isEmpty();
    assertThat(batched.batching()).contains(HttpBatching.defaults());
    assertThat(batched.toBuilder().build().batching()).contains(HttpBatching.defaults());
    assertThat(batched.toBuilder().batching(null).build()).isEqualTo(plain);
  }

  @Test
  void batchingIsPartOfEqualsHashCodeAndToString() {
    HttpDestinationConfig plain = HttpDestinationConfig.of(URL);
    HttpDestinationConfig batched = plain.toBuilder().batching(HttpBatching.defaults()).build();
    HttpDestinationConfig other = plain.toBuilder().batching(HttpBatching.defaults().withMaxEvents(500)).build();

    assertThat(batched).isNotEqualTo(plain).isNotEqualTo(other)
        .isEqualTo(plain.toBuilder().batching(new HttpBatching(100, 1024 * 1024, Duration.ofMillis(200))).build());
    assertThat(batched.hashCode()).isEqualTo(plain.toBuilder().batching(HttpBatching.defaults()).build().hashCode());
    assertThat(plain.toString()).contains("batching=off");
    assertThat(other.toString()).contains("maxEvents=500").contains("linger=PT0.2S");
  }

  @Test
  void storedFormKeepsBatchingAsPlainSettingsAndReadsItBack() {
    HttpDestinationConfig config = HttpDestinationConfig.builder().destinationUrl(URL)
        .batching(new HttpBatching(1000, 2L * 1024 * 1024, Duration.ofNanos(1_500_000))).build();

    StoredConfig stored = DestinationConfigs.encode(config);

    assertThat(stored.settings().get("batching"))
        .isEqualTo(Map.of("maxEvents", 1000, "maxBytes", 2L * 1024 * 1024, "linger", "PT0.0015S"));
    assertThat(HttpDestinationConfig.DESTINATION_KIND.decode(stored)).isEqualTo(config);
  }

  @Test
  void aConfigStoredWithoutBatchingReadsBackWithBatchingOff() {
    StoredConfig old = StoredConfig.builder().setting("destinationUrl", URL)
        .setting("contentType", "application/json").setting("headers", List.of()).build();

    HttpDestinationConfig read = HttpDestinationConfig.DESTINATION_KIND.decode(old);

    assertThat(read.batching()).isEmpty();
    assertThat(DestinationConfigs.encode(read).settings()).doesNotContainKey("batching");
  }

  @Test
  void readsStoredNumbersWhetherAParserGaveThemAsIntegersOrLongs() {
    Map<String, Object> batching = new LinkedHashMap<>();
    batching.put("maxEvents", 50L);
    batching.put("maxBytes", 4096);
    batching.put("linger", "PT1S");

    HttpDestinationConfig read = HttpDestinationConfig.DESTINATION_KIND.decode(
        StoredConfig.builder().setting("destinationUrl", URL).setting("batching", batching).build());

    assertThat(read.batching()).contains(new HttpBatching(50, 4096, Duration.ofSeconds(1)));
  }

  @Test
  void aMalformedStoredBatchingNamesTheSetting() {
    Map<String, Object> batching = new LinkedHashMap<>(Map.of("maxEvents", 50, "maxBytes", 4096, "linger", "soon"));
    assertThatThrownBy(() -> HttpDestinationConfig.DESTINATION_KIND.decode(
        StoredConfig.builder().setting("destinationUrl", URL).setting("batching", batching).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'batching.linger'");

    batching.put("linger", "PT1S");
    batching.put("maxEvents", 1.5);
    assertThatThrownBy(() -> HttpDestinationConfig.DESTINATION_KIND.decode(
        StoredConfig.builder().setting("destinationUrl", URL).setting("batching", batching).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'batching.maxEvents'");

    assertThatThrownBy(() -> HttpDestinationConfig.DESTINATION_KIND.decode(
        StoredConfig.builder().setting("destinationUrl", URL).setting("batching", "on").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'batching'");
  }

  @Test
  void aStoredBatchingThatBreaksARuleIsRefusedNamingTheField() {
    Map<String, Object> batching = Map.of("maxEvents", 5000, "maxBytes", 4096, "linger", "PT1S");

    assertThatThrownBy(() -> HttpDestinationConfig.DESTINATION_KIND.decode(
        StoredConfig.builder().setting("destinationUrl", URL).setting("batching", batching).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("batching.maxEvents"));
  }

  @Test
  void aCustomHeaderCannotStandInForTheBatchHeaders() {
    for (String key : List.of(HttpBatching.BATCH_ID_HEADER, "x-audit-stream-batch-size")) {
      assertThatThrownBy(() -> HttpHeader.of(key, "forged"))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("key"))
          .hasMessageContaining("set by audit-stream");
    }
  }
}
