package io.auditstream.jdbc;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's contract on the embedded SQLite store. */
class SqliteOutboxTest extends JdbcOutboxTest {
  @TempDir Path dir;

  @Override
  JdbcStore open(Consumer<StoreBuilder<?>> settings) {
    EmbeddedStore.Builder builder = EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode);
    settings.accept(builder);
    return builder.open();
  }
}
