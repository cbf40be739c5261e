package io.auditstream.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.core.secrets.SecretKeyFile;
import io.auditstream.core.secrets.SecretsCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Opens the sealed secrets of a stored destination, as an operator holding the key would. */
final class StoredSecrets {
  /** A fixed test key, so that what a test writes can be read back with it. */
  static final SecretKeys KEYS = SecretKeys.of("test-1", new byte[SecretKeys.KEY_BYTES]);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StoredSecrets() {}

  /** The secrets object of {@code destination} (a node of the file), opened with {@code keys}. */
  static JsonNode open(JsonNode destination, SecretKeys keys) {
    String plain = SecretsCipher.of(keys).decrypt(DestinationId.of(destination.get("id").asText()),
        destination.get("secrets").asText());
    try {
      return MAPPER.readTree(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #open(JsonNode, SecretKeys)}, with the key file the store generated beside {@code file}. */
  static JsonNode open(JsonNode destination, Path file) {
    return open(destination, SecretKeyFile.loadOrCreate(keyFile(file)));
  }

  static Path keyFile(Path file) {
    Path abs = file.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + FileDestinationStore.KEY_FILE_SUFFIX);
  }
}
