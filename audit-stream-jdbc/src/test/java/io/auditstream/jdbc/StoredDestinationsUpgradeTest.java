package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.UnavailableDestinationConfig;
import io.auditstream.core.secrets.SecretsCipher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Destination rows that an earlier version wrote under its looser rules (a name or paused reason with a
 * line break, a header value or content type with non-ASCII characters, a host spelled as one number):
 * every one still loads with what was stored, is written back unchanged when renamed, and can be
 * deleted. {@link SqliteStoredDestinationsUpgradeTest} runs it on the embedded store, {@link
 * PostgresStoredDestinationsUpgradeTest} on PostgreSQL.
 */
abstract class StoredDestinationsUpgradeTest {
  static final DestinationKinds KINDS = DestinationKinds.discover();
  private static final String URL = "https://siem.example.com/";

  private JdbcStore store;

  /** Opens a store on the test's database. */
  abstract JdbcStore open();

  /** Runs {@code sql} on the closed store's database, with {@code ?} bound to {@code values} as text. */
  abstract void sql(String sql, String... values) throws Exception;

  /** The first column of the first row {@code sql} selects, as text. */
  abstract String value(String sql) throws Exception;

  /** The cipher the store seals destination secrets with. */
  abstract SecretsCipher cipher() throws Exception;

  /** {@code table} as the raw statements name it. */
  abstract String table(String table);

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Destination http(String id, String header) {
    return Destination.builder().id(DestinationId.of(id)).groupPath("acme").name("Destination " + id)
        .verificationToken(Secret.of("token-abcd-" + id))
        .config(HttpDestinationConfig.builder().destinationUrl(URL + id).header("Authorization", header).build())
        .createdAt(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  /** Saves five destinations, then gives each, with the store closed, what an earlier version stored. */
  private void storeAsEarlierVersion() throws Exception {
    store = open();
    for (String id : List.of("name-nl", "reason-nl", "header-utf", "host-num", "ctype-utf")) {
      Destination d = http(id, "Bearer " + id);
      store.destinations().save(id.equals("reason-nl") ? d.toBuilder().paused("maintenance").build() : d);
    }
    store.close();
    store = null;
    String destinations = table("destinations");
    sql("UPDATE " + destinations + " SET name = ? WHERE id = 'name-nl'", "SIEM\nprod");
    sql("UPDATE " + destinations + " SET paused_reason = ? WHERE id = 'reason-nl'", "maintenance\nuntil Monday");
    sql("UPDATE " + destinations + " SET settings = replace(settings, ?, ?) WHERE id = 'host-num'", URL + "host-num",
        "https://2130706433/in");
    sql("UPDATE " + destinations + " SET settings = replace(settings, ?, ?) WHERE id = 'ctype-utf'",
        "application/x-www-form-urlencoded", "application/json; profile=r\u00e9sum\u00e9");
    DestinationId header = DestinationId.of("header-utf");
    String sealed = value("SELECT secrets FROM " + destinations + " WHERE id = 'header-utf'");
    String secrets = cipher().decrypt(header, sealed);
    sql("UPDATE " + destinations + " SET secrets = ? WHERE id = 'header-utf'",
        cipher().encrypt(header, secrets.replace("Bearer header-utf", "Bearer caf\u00e9-\u2713")));
  }

  @Test
  void loadsEveryDestinationAnEarlierVersionStored() throws Exception {
    storeAsEarlierVersion();

    store = open();
    JdbcDestinationStore destinations = store.destinations();

    assertThat(destinations.findAll()).hasSize(5);
    assertThat(destinations.find(DestinationId.of("name-nl")).orElseThrow().name()).isEqualTo("SIEM\nprod");
    assertThat(destinations.find(DestinationId.of("reason-nl")).orElseThrow().pausedReason())
        .contains("maintenance\nuntil Monday");
    Map.of("header-utf", "headers[0].value", "host-num", "destinationUrl", "ctype-utf", "contentType")
        .forEach((id, field) -> {
          Destination d = destinations.find(DestinationId.of(id)).orElseThrow();
          assertThat(d.config()).as(id).isInstanceOf(UnavailableDestinationConfig.class);
          assertThat(d.kind()).isEqualTo("http");
          assertThat(KINDS.brokenRules(d.config())).as(id).hasValueSatisfying(e -> assertThat(e.violations())
              .extracting(ValidationException.Violation::field).containsExactly(field));
        });
    UnavailableDestinationConfig header =
        (UnavailableDestinationConfig) destinations.find(DestinationId.of("header-utf")).orElseThrow().config();
    assertThat(header.stored().secrets().get("headers[0].value").reveal()).isEqualTo("Bearer caf\u00e9-\u2713");
    assertThat(destinations.findByGroup("acme")).hasSize(5);
  }

  @Test
  void writesAKeptConfigBackUnchangedWhenRenamedAndDeletesIt() throws Exception {
    storeAsEarlierVersion();
    String settingsBefore = value("SELECT settings FROM " + table("destinations") + " WHERE id = 'ctype-utf'");

    store = open();
    Destination kept = store.destinations().find(DestinationId.of("ctype-utf")).orElseThrow();
    store.destinations().save(kept.toBuilder().name("Renamed").build());
    Destination header = store.destinations().find(DestinationId.of("header-utf")).orElseThrow();
    store.destinations().save(header.toBuilder().paused("fixing the header").build());
    assertThat(store.destinations().delete(DestinationId.of("host-num"))).isTrue();
    store.close();
    store = null;

    assertThat(value("SELECT settings FROM " + table("destinations") + " WHERE id = 'ctype-utf'"))
        .isEqualTo(settingsBefore);
    store = open();
    assertThat(store.destinations().find(DestinationId.of("ctype-utf")).orElseThrow().name()).isEqualTo("Renamed");
    Destination paused = store.destinations().find(DestinationId.of("header-utf")).orElseThrow();
    assertThat(paused.pausedReason()).contains("fixing the header");
    assertThat(((UnavailableDestinationConfig) paused.config()).stored().secrets().get("headers[0].value").reveal())
        .isEqualTo("Bearer caf\u00e9-\u2713");
    assertThat(store.destinations().findAll()).extracting(d -> d.id().value())
        .containsExactlyInAnyOrder("name-nl", "reason-nl", "header-utf", "ctype-utf");
  }
}
