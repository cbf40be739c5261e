package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredConfigTest {
  @Test
  void copiesSettingsDeeplySoLaterChangesToTheInputDoNotLeakIn() {
    List<Object> list = new ArrayList<>(List.of("a"));
    Map<String, Object> settings = new HashMap<>(Map.of("list", list));

    StoredConfig c = new StoredConfig(settings, Map.of());
    list.add("b");
    settings.put("other", 1);

    assertThat(c.settings()).containsOnlyKeys("list");
    assertThat(c.settings().get("list")).isEqualTo(List.of("a"));
  }

  @Test
  void refusesSettingsThatAreNotJsonValuesNamingThePath() {
    assertThatThrownBy(() -> new StoredConfig(Map.of("nested", Map.of("when", new Object())), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settings.nested.when");
  }

  @Test
  void readersNameTheSettingThatIsMissingOrOfTheWrongType() {
    StoredConfig c = StoredConfig.builder().setting("url", "https://a").setting("flag", "yes")
        .setting("list", List.of("x")).build();

    assertThat(c.text("url")).isEqualTo("https://a");
    assertThat(c.optionalText("nope")).isEmpty();
    assertThat(c.bool("missing", true)).isTrue();
    assertThatThrownBy(() -> c.text("nope")).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> c.bool("flag", false)).hasMessageContaining("'flag' is not a boolean");
    assertThatThrownBy(() -> c.objects("list")).hasMessageContaining("'list' is not a list of objects");
  }

  @Test
  void keepsSecretsApartAndNeverShowsThem() {
    StoredConfig c = StoredConfig.builder().setting("bucket", "b")
        .secret("key", Secret.of("hidden-value"))
        .secret("absent", WriteOnlySecret.absent())
        .secret("redacted", WriteOnlySecret.redactedValue())
        .build();

    assertThat(c.secrets()).containsOnlyKeys("key");
    assertThat(c.secret("key")).contains(Secret.of("hidden-value"));
    assertThat(c.toString()).contains("key").doesNotContain("hidden-value");
  }
}
