package io.auditstream.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKinds;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.secrets.SecretsCipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSecretsAtRestTest {
  private static final SecretKeys K1 = SecretKeys.of("k1", TestKeys.filled(1));
  private static final SecretKeys K2 = SecretKeys.of("k2", TestKeys.filled(2));
  private static final String ROW = "SELECT id || '|' || group_path || '|' || name || '|' || kind || '|' || settings"
      + " || '|' || secrets || '|' || filters FROM destinations ORDER BY id";

  @TempDir Path dir;

  private EmbeddedStore open() {
    return EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).open();
  }

  private EmbeddedStore open(SecretKeys keys) {
    return EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).secretKeys(keys).open();
  }

  private void saveAll(EmbeddedStore store) {
    SecretDestinations.all().forEach(store.destinations()::save);
  }

  /** Every file of the data folder but the key file, byte for byte, as text. */
  private String databaseFiles() throws IOException {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().equals(EmbeddedStore.KEY_FILE)).toList()) {
        out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    return out.toString();
  }

  @Test
  void keepsNoSecretInAnyFormInTheRowsOrTheDatabaseFilesAndReadsEveryOneBack() throws Exception {
    try (EmbeddedStore store = open()) {
      saveAll(store);
    }

    SecretForms.assertNoneIn(String.join("\n", RawDatabase.column(dir, ROW)), "rows", SecretDestinations.secrets());
    SecretForms.assertNoneIn(databaseFiles(), "database files", SecretDestinations.secrets());
    String keyId = Files.readString(dir.resolve(EmbeddedStore.KEY_FILE)).split(":")[0];
    assertThat(RawDatabase.column(dir, "SELECT secrets FROM destinations"))
        .hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:" + keyId + ":"));
    try (EmbeddedStore store = open()) {
      assertThat(store.destinations().findAll()).containsExactlyElementsOf(SecretDestinations.all());
    }
  }

  @Test
  void generatesAnOwnerOnlyKeyFileOnFirstUseSaysSoOnceAndReusesIt() throws Exception {
    Path keyFile = dir.resolve(EmbeddedStore.KEY_FILE);
    String log = capturingStandardError(() -> {
      try (EmbeddedStore store = open()) {
        saveAll(store);
      }
      try (EmbeddedStore store = open()) {
        assertThat(store.destinations().findAll()).hasSize(3);
      }
    });

    String key = Files.readString(keyFile).strip();
    assertThat(SecretKeys.parse(key).currentKeyId()).matches("local-[0-9a-f]{8}");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }
    assertThat(log.split("Generated the key that encrypts destination secrets", -1)).as("said once").hasSize(2);
    assertThat(log).contains(keyFile.toString()).doesNotContain(key.substring(key.indexOf(':') + 1));
    try (EmbeddedStore store = open()) {
      assertThat(store.destinations().find(SecretDestinations.gcp().id())).contains(SecretDestinations.gcp());
    }
    assertThat(Files.readString(keyFile).strip()).as("the same key, reused").isEqualTo(key);
  }

  @Test
  void writesNoKeyFileWhenTheHostGivesKeys() {
    try (EmbeddedStore store = open(K1)) {
      saveAll(store);
    }

    assertThat(dir.resolve(EmbeddedStore.KEY_FILE)).doesNotExist();
    try (EmbeddedStore store = open(K1)) {
      assertThat(store.destinations().findAll()).containsExactlyElementsOf(SecretDestinations.all());
    }
  }

  @Test
  void encryptsThePlainRowsOfASchemaVersion3DatabaseOnFirstOpenLeavingNoneInTheFile() throws Exception {
    createSchemaVersion3WithPlainRows();
    assertThat(String.join("\n", RawDatabase.column(dir, ROW))).as("plain before")
        .contains(SecretDestinations.HEADER_VALUE);

    try (EmbeddedStore store = open(K1)) {
      assertThat(store.schemaVersion()).isEqualTo(4);
      assertThat(store.destinations().findAll()).containsExactlyElementsOf(SecretDestinations.all());
    }

    SecretForms.assertNoneIn(String.join("\n", RawDatabase.column(dir, ROW)), "rows", SecretDestinations.secrets());
    SecretForms.assertNoneIn(databaseFiles(), "database files", SecretDestinations.secrets());
    assertThat(RawDatabase.column(dir, "SELECT secrets FROM destinations"))
        .hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k1:"));
  }

  @Test
  void refusesARowWhoseSecretsWereAlteredNamingTheDestinationAndTheKey() throws Exception {
    try (EmbeddedStore store = open(K1)) {
      saveAll(store);
    }
    String sealed = RawDatabase.column(dir, "SELECT secrets FROM destinations WHERE id = 'http-1'").get(0);
    int at = sealed.length() - 10;
    String altered = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
    RawDatabase.update(dir, "UPDATE destinations SET secrets = ? WHERE id = 'http-1'", altered);

    try (EmbeddedStore store = open(K1)) {
      assertThatThrownBy(() -> store.destinations().find(DestinationId.of("http-1")))
          .isInstanceOf(AuditStreamException.class)
          .hasMessageContaining("destination http-1").hasMessageContaining("'k1'").hasMessageContaining("altered")
          .satisfies(e -> SecretForms.assertNoneIn(e.getMessage(), "message", SecretDestinations.secrets()));
      assertThat(store.destinations().find(DestinationId.of("s3-1"))).contains(SecretDestinations.s3());
    }
  }

  @Test
  void refusesSecretsMovedToAnotherDestinationsRow() throws Exception {
    try (EmbeddedStore store = open(K1)) {
      saveAll(store);
    }
    String gcpSecrets = RawDatabase.column(dir, "SELECT secrets FROM destinations WHERE id = 'gcp-1'").get(0);
    RawDatabase.update(dir, "UPDATE destinations SET secrets = ? WHERE id = 's3-1'", gcpSecrets);

    try (EmbeddedStore store = open(K1)) {
      assertThatThrownBy(() -> store.destinations().find(DestinationId.of("s3-1")))
          .isInstanceOf(AuditStreamException.class).hasMessageContaining("destination s3-1")
          .hasMessageContaining("'k1'");
    }
  }

  @Test
  void refusesARowUnderAKeyItWasNotGivenNamingTheDestinationAndTheKeyId() {
    try (EmbeddedStore store = open(K1)) {
      store.destinations().save(SecretDestinations.http());
    }

    try (EmbeddedStore store = open(K2)) {
      assertThatThrownBy(() -> store.destinations().findAll())
          .isInstanceOf(AuditStreamException.class)
          .hasMessageContaining("destination http-1").hasMessageContaining("key 'k1'")
          .hasMessageContaining("not among the keys given (k2)")
          .satisfies(e -> SecretForms.assertNoneIn(e.getMessage(), "message", SecretDestinations.secrets()));
    }
  }

  @Test
  void rotationReencryptsEveryRowUnderTheCurrentKeyAndOldRowsLoadUntilThen() throws Exception {
    try (EmbeddedStore store = open(K1)) {
      saveAll(store);
    }

    try (EmbeddedStore store = open(K2.withOlder(K1))) {
      assertThat(store.destinations().findAll()).as("under the older key")
          .containsExactlyElementsOf(SecretDestinations.all());
      store.destinations().save(SecretDestinations.s3());
    }
    assertThat(RawDatabase.column(dir, "SELECT id || ' ' || substr(secrets, 1, 6) FROM destinations ORDER BY id"))
        .as("a save writes under the current key").containsExactly("gcp-1 v1:k1:", "http-1 v1:k1:", "s3-1 v1:k2:");

    try (EmbeddedStore store = open(K2.withOlder(K1))) {
      assertThat(store.destinations().reencryptSecrets()).isEqualTo(2);
      assertThat(store.destinations().reencryptSecrets()).as("nothing left under k1").isZero();
    }

    assertThat(RawDatabase.column(dir, "SELECT secrets FROM destinations"))
        .hasSize(3).allSatisfy(s -> assertThat(s).startsWith("v1:k2:"));
    SecretForms.assertNoneIn(databaseFiles(), "database files", SecretDestinations.secrets());
    try (EmbeddedStore store = open(K2)) {
      assertThat(store.destinations().find(SecretDestinations.http().id())).contains(SecretDestinations.http());
      assertThat(store.destinations().findAll()).hasSize(3);
    }
  }

  private void createSchemaVersion3WithPlainRows() throws Exception {
    Files.createDirectories(dir);
    RawDatabase.execute(dir, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
        + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    List<Migration> migrations = new SqliteDialect().migrations();
    for (Migration m : migrations.subList(0, 3)) {
      for (String ddl : m.statements()) {
        RawDatabase.execute(dir, ddl);
      }
      RawDatabase.update(dir, "INSERT INTO schema_version VALUES (?, ?, '2026-01-01T00:00:00Z')",
          String.valueOf(m.version()), m.description());
    }
    // The rows as version 3 wrote them: the secrets column a plain JSON object.
    SecretsCipher cipher = SecretsCipher.of(K2);
    DestinationColumns columns = new DestinationColumns(DestinationKinds.discover(), cipher);
    for (Destination d : SecretDestinations.all()) {
      DestinationColumns.Row row = columns.write(d);
      RawDatabase.update(dir, "INSERT INTO destinations (id, group_path, name, kind, artifact, active, settings,"
          + " secrets, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)", row.id(),
          row.groupPath(), row.name(), row.kind(), row.artifact(), row.settings(),
          cipher.decrypt(d.id(), row.secrets()), row.filters(), row.createdAt(), row.updatedAt());
    }
  }

  private static String capturingStandardError(Runnable run) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
