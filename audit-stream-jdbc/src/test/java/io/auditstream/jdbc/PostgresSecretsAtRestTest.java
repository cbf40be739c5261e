package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.secrets.SecretsCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Destination secrets at rest in a real PostgreSQL database shared by several instances. */
class PostgresSecretsAtRestTest {
  private static final SecretKeys K1 = SecretKeys.of("k1", TestKeys.filled(1));
  private static final SecretKeys K2 = SecretKeys.of("k2", TestKeys.filled(2));

  private final String schema = PostgresFixture.freshSchema();
  private final HikariDataSource pool = PostgresFixture.pool(4);
  private final List<PostgresStore> stores = new ArrayList<>();

  private PostgresStore.Builder builder(String instanceId) {
    return PostgresStore.builder(pool).schema(schema).instanceId(instanceId).eventDecoder(TestEvents::decode);
  }

  private JdbcDestinationStore open(String instanceId, SecretKeys keys) {
    PostgresStore store = builder(instanceId).secretKeys(keys).open();
    stores.add(store);
    return store.destinations();
  }

  @AfterEach
  void close() {
    stores.forEach(PostgresStore::close);
    pool.close();
  }

  /** Every destination row, every column as text, read directly as an operator with psql would. */
  private List<String> rows() throws SQLException {
    return column("SELECT d::text FROM " + schema + ".destinations d ORDER BY id");
  }

  private List<String> column(String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  @Test
  void refusesToStartWithoutKeysSayingWhatToConfigureAndTouchesNothing() throws Exception {
    assertThatThrownBy(() -> builder("host-a").open())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("secretKeys is required with PostgreSQL")
        .hasMessageContaining("SecretKeys.parse");

    assertThat(column("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = '" + schema + "'")).isEmpty();
  }

  @Test
  void twoInstancesWithTheSameKeysSeeEachOthersDestinationsAndTheRowsHoldNoSecret() throws Exception {
    JdbcDestinationStore a = open("host-a", K1);
    JdbcDestinationStore b = open("host-b", K1);

    a.save(SecretDestinations.http());
    a.save(SecretDestinations.gcp());
    b.save(SecretDestinations.s3());

    assertThat(b.findAll()).containsExactlyElementsOf(SecretDestinations.all());
    assertThat(a.findAll()).containsExactlyElementsOf(SecretDestinations.all());
    SecretForms.assertNoneIn(String.join("\n", rows()), "rows", SecretDestinations.secrets());
    assertThat(column("SELECT secrets FROM " + schema + ".destinations"))
        .hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k1:"));
  }

  @Test
  void anInstanceWithOtherKeysFailsToLoadNamingTheDestinationAndTheKeyId() {
    open("host-a", K1).save(SecretDestinations.gcp());
    JdbcDestinationStore other = open("host-b", K2);

    assertThatThrownBy(other::findAll)
        .isInstanceOf(AuditStreamException.class)
        .hasMessageContaining("destination gcp-1").hasMessageContaining("key 'k1'")
        .satisfies(e -> SecretForms.assertNoneIn(e.getMessage(), "message", SecretDestinations.secrets()));
  }

  @Test
  void encryptsThePlainRowsOfASchemaVersion1DatabaseOnFirstOpen() throws Exception {
    createSchemaVersion1WithPlainRows();
    assertThat(String.join("\n", rows())).as("plain before").contains(SecretDestinations.SECRET_ACCESS_KEY);

    PostgresStore store = builder("host-a").secretKeys(K1).open();
    stores.add(store);

    assertThat(store.schemaVersion()).isEqualTo(2);
    assertThat(store.destinations().findAll()).containsExactlyElementsOf(SecretDestinations.all());
    SecretForms.assertNoneIn(String.join("\n", rows()), "rows", SecretDestinations.secrets());
    assertThat(column("SELECT version || ':' || description FROM " + schema + ".schema_version ORDER BY version"))
        .endsWith("2:destinations.secrets encrypted at rest");
  }

  @Test
  void rotationThroughOneInstanceReencryptsEveryRowAndOldRowsLoadUntilThen() throws Exception {
    JdbcDestinationStore old = open("host-a", K1);
    SecretDestinations.all().forEach(old::save);

    JdbcDestinationStore a = open("host-b", K2.withOlder(K1));
    JdbcDestinationStore b = open("host-c", K2.withOlder(K1));
    assertThat(b.findAll()).as("under the older key").containsExactlyElementsOf(SecretDestinations.all());

    assertThat(a.reencryptSecrets()).isEqualTo(3);

    assertThat(column("SELECT secrets FROM " + schema + ".destinations"))
        .hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k2:"));
    assertThat(b.findAll()).containsExactlyElementsOf(SecretDestinations.all());
    assertThat(open("host-d", K2).findAll()).as("the old key no longer needed")
        .containsExactlyElementsOf(SecretDestinations.all());
    SecretForms.assertNoneIn(String.join("\n", rows()), "rows", SecretDestinations.secrets());
  }

  private void createSchemaVersion1WithPlainRows() throws SQLException {
    Migration first = new PostgresDialect(schema).migrations().get(0);
    SecretsCipher cipher = SecretsCipher.of(K2);
    DestinationColumns columns = new DestinationColumns(DestinationKinds.discover(), cipher);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
      for (String ddl : first.statements()) {
        s.execute(ddl);
      }
      s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL,"
          + " applied_at TEXT NOT NULL)");
      s.execute("INSERT INTO schema_version VALUES (1, '" + first.description() + "', '2026-01-01T00:00:00Z')");
      // The rows as version 1 wrote them: the secrets column a plain JSON object.
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO destinations (id, group_path, name, kind,"
          + " artifact, active, settings, secrets, filters, created_at, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, true, ?, ?, ?, ?, ?)")) {
        for (Destination d : SecretDestinations.all()) {
          DestinationColumns.Row row = columns.write(d);
          String[] values = {row.id(), row.groupPath(), row.name(), row.kind(), row.artifact(), row.settings(),
              cipher.decrypt(d.id(), row.secrets()), row.filters(), row.createdAt(), row.updatedAt()};
          for (int i = 0; i < values.length; i++) {
            insert.setString(i + 1, values[i]);
          }
          insert.executeUpdate();
        }
      }
      s.execute("RESET search_path");
    }
  }
}
