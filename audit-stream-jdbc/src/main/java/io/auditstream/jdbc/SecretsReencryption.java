package io.auditstream.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.core.secrets.SecretsCipher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the {@code secrets} column of every destination row under the current key, in one
 * transaction: a plain JSON object (a row of a schema before encryption, or written by an older version
 * of the library) is encrypted; a value sealed under another key is decrypted with it and sealed again.
 * Each row is updated only if its value is still the one read, so a save that another process commits
 * meanwhile is kept, not overwritten. Both the migration that encrypts the rows of an older schema and
 * {@link JdbcDestinationStore#reencryptSecrets()} run it.
 *
 * <p>Internal; may change without notice.
 */
final class SecretsReencryption {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String SELECT = "SELECT id, secrets FROM destinations ORDER BY id";
  private static final String UPDATE = "UPDATE destinations SET secrets = ? WHERE id = ? AND secrets = ?";

  private SecretsReencryption() {}

  /**
   * Re-encrypts what needs it.
   *
   * @return the number of rows rewritten
   * @throws IllegalArgumentException naming the destination (and the key id) whose secrets cannot be
   *     decrypted or are neither sealed nor a JSON object; never quoting them
   */
  static int apply(Transaction tx, SecretsCipher cipher) throws SQLException {
    List<String[]> stale = new ArrayList<>();
    try (ResultSet rs = tx.statement(SELECT).executeQuery()) {
      while (rs.next()) {
        String secrets = rs.getString(2);
        if (cipher.needsReencryption(secrets)) {
          stale.add(new String[] {rs.getString(1), secrets});
        }
      }
    }
    if (stale.isEmpty()) {
      return 0;
    }
    int rewritten = 0;
    tx.dialect().overwriteFreedSpace(tx, true);
    try {
      PreparedStatement update = tx.statement(UPDATE);
      for (String[] row : stale) {
        DestinationId id = DestinationId.of(row[0]);
        String plain = SecretsCipher.isSealed(row[1]) ? cipher.decrypt(id, row[1]) : plainObject(id, row[1]);
        update.setString(1, cipher.encrypt(id, plain));
        update.setString(2, row[0]);
        update.setString(3, row[1]);
        rewritten += update.executeUpdate();
      }
    } finally {
      tx.dialect().overwriteFreedSpace(tx, false);
    }
    return rewritten;
  }

  private static String plainObject(DestinationId id, String secrets) {
    try {
      JsonNode node = MAPPER.readTree(secrets);
      if (node != null && node.isObject()) {
        return secrets;
      }
    } catch (JsonProcessingException e) {
      // Not e's message: it may quote a secret.
    }
    throw new IllegalArgumentException("the secrets of destination " + id.value()
        + " are neither encrypted nor a JSON object");
  }
}
