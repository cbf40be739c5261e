package io.auditstream.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.spi.SecretKeys;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretKeyFileTest {
  @TempDir Path dir;

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Test
  void generatesAnOwnerOnlyKeyOnFirstUseAndReadsTheSameOneAfter() throws Exception {
    Path file = dir.resolve("state").resolve("secrets.key");

    SecretKeys first = SecretKeyFile.loadOrCreate(file);
    SecretKeys again = SecretKeyFile.loadOrCreate(file);

    assertThat(first.currentKeyId()).matches("local-[0-9a-f]{8}");
    assertThat(again.currentKeyId()).isEqualTo(first.currentKeyId());
    assertThat(again.key(again.currentKeyId()).orElseThrow().getEncoded())
        .isEqualTo(first.key(first.currentKeyId()).orElseThrow().getEncoded()).hasSize(32);
    if (posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file left").containsExactly(file);
    }
  }

  @Test
  void makesAKeyFileReadableByOthersOwnerOnlyAgain() throws Exception {
    Path file = dir.resolve("secrets.key");
    SecretKeyFile.loadOrCreate(file);
    if (!posix()) {
      return;
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    SecretKeyFile.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void refusesAFileThatIsNotAKeyFileWithoutQuotingIt() throws Exception {
    Path file = dir.resolve("secrets.key");
    Files.writeString(file, "leaked-text-without-colon");

    assertThatThrownBy(() -> SecretKeyFile.loadOrCreate(file)).isInstanceOf(AuditStreamException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("is not a key file")
        .hasMessageNotContaining("leaked-text");
  }
}
