package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ConflictException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DestinationStore} in the database of an {@link EmbeddedStore} or a {@link PostgresStore},
 * beside the outbox: one row per destination in the {@code destinations} table. Obtained from {@link
 * EmbeddedStore#destinations()} or {@link PostgresStore#destinations()}.
 *
 * <p>Every kind is stored alike, through its {@link io.auditstream.api.destination.DestinationKind}:
 * the kind's name and artifact, the config's plain settings in the {@code settings} column, and the
 * verification token and the config's secrets (header values, keys) apart in the {@code secrets}
 * column, <b>encrypted</b>: sealed together with AES-256-GCM under the store's current key, bound to the
 * destination's id ({@link io.auditstream.core.secrets.SecretsCipher}). A row whose secrets were sealed
 * under a key the store was not given, or were altered, fails to load with a message naming the
 * destination and the key id. After a new key is made current, {@link #reencryptSecrets()} rewrites the
 * rows still under older keys. Why a destination is paused, when it is, is in
 * the {@code paused_reason} column (null otherwise). A destination of a kind that is not on the
 * classpath is kept as an {@link io.auditstream.api.destination.UnavailableDestinationConfig} and
 * written back unchanged.
 *
 * <p>Reads go to the database every time, so what is listed is what is stored. {@link #save} and
 * {@link #delete} are durable when they return.
 *
 * <p><b>Shared by several processes</b> (PostgreSQL): every save and delete moves {@link
 * #changeCount()} in the same transaction, so that each process learns of the others' changes; {@link
 * #changeGroup} runs in one transaction that holds the group's lock; and a group's destination names
 * are unique (a database constraint), a save that breaks it failing with a {@link ConflictException}
 * on {@code name}. On the embedded store, {@link #changeCount()} is empty and {@link #changeGroup} reads
 * and writes through this store's methods, as the engine serialises a group's changes itself.
 *
 * <p>Thread-safe: each method is one short transaction. Every method throws {@link
 * IllegalStateException} ("destination store is closed") after {@link #close()}, and {@link
 * AuditStreamException} when the database fails or holds a row it cannot read.
 */
public final class JdbcDestinationStore implements DestinationStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcDestinationStore.class);

  private static final String COLUMNS = "id, group_path, name, kind, artifact, active, settings, secrets, filters,"
      + " created_at, updated_at, paused_reason";

  private static final String UPSERT = "INSERT INTO destinations (" + COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (id) DO UPDATE SET group_path = excluded.group_path, name = excluded.name,"
      + " kind = excluded.kind, artifact = excluded.artifact, active = excluded.active,"
      + " settings = excluded.settings, secrets = excluded.secrets, filters = excluded.filters,"
      + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
      + " paused_reason = excluded.paused_reason";

  private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM destinations";
  private static final String SELECT_GROUP = SELECT_ALL + " WHERE group_path = ?";
  private static final String SELECT_ONE = SELECT_ALL + " WHERE id = ?";
  private static final String DELETE = "DELETE FROM destinations WHERE id = ?";

  // PostgreSQL alone: the change count, and the rows that are the groups' locks.
  private static final String COUNT_CHANGE = "UPDATE destination_changes SET change_count = change_count + 1"
      + " WHERE id = 1";
  private static final String CHANGE_COUNT = "SELECT change_count FROM destination_changes WHERE id = 1";
  private static final String ADD_GROUP = "INSERT INTO destination_groups (group_path) VALUES (?)"
      + " ON CONFLICT DO NOTHING";
  private static final String LOCK_GROUP = "SELECT group_path FROM destination_groups WHERE group_path = ?"
      + " FOR UPDATE";

  private static final Comparator<Destination> OLDEST_FIRST =
      Comparator.comparing(Destination::createdAt).thenComparing(d -> d.id().value());

  private final Database db;
  private final DestinationColumns columns;
  private volatile boolean closed;

  JdbcDestinationStore(Database db, DestinationColumns columns) {
    this.db = db;
    this.columns = columns;
  }

  /** Every destination of every group, oldest first. */
  @Override
  public List<Destination> findAll() {
    return read(SELECT_ALL, null);
  }

  /** The destinations of one top-level group, oldest first. */
  @Override
  public List<Destination> findByGroup(String groupPath) {
    Objects.requireNonNull(groupPath, "groupPath");
    return read(SELECT_GROUP, groupPath);
  }

  @Override
  public Optional<Destination> find(DestinationId id) {
    Objects.requireNonNull(id, "id");
    return read(SELECT_ONE, id.value()).stream().findFirst();
  }

  /**
   * Inserts or replaces by id; committed when it returns.
   *
   * @throws ConflictException on {@code name} when the database holds another destination of the group
   *     with the same name (PostgreSQL)
   */
  @Override
  public void save(Destination destination) {
    ensureOpen();
    Objects.requireNonNull(destination, "destination");
    db.transaction("save destination " + destination.id(), tx -> {
      new InTransaction(tx, destination.groupPath()).save(destination);
      return null;
    });
  }

  /** Deletes; committed when it returns. */
  @Override
  public boolean delete(DestinationId id) {
    ensureOpen();
    return db.transaction("delete destination " + id, tx -> new InTransaction(tx, null).delete(id));
  }

  /**
   * On PostgreSQL, the number of saves and deletes made through every process sharing the database,
   * committed with each; empty on the embedded store, which this process alone changes.
   */
  @Override
  public OptionalLong changeCount() {
    ensureOpen();
    if (!db.dialect().shared()) {
      return OptionalLong.empty();
    }
    return db.transaction("read the destination change count", tx -> {
      try (ResultSet rs = tx.statement(CHANGE_COUNT).executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    });
  }

  /**
   * On PostgreSQL, runs {@code change} in one transaction that first locks the group (a row of {@code
   * destination_groups}): a change of the same group through any process waits for it to commit, and
   * its reads and writes are those of the transaction. When {@code change} throws, the transaction is
   * rolled back and the exception propagates unchanged. On the embedded store, reads and writes through
   * this store's methods one by one.
   */
  @Override
  public <T> T changeGroup(String groupPath, Function<GroupChange, T> change) {
    ensureOpen();
    Objects.requireNonNull(groupPath, "groupPath");
    Objects.requireNonNull(change, "change");
    if (!db.dialect().shared()) {
      return DestinationStore.super.changeGroup(groupPath, change);
    }
    return db.transaction("change the destinations of group " + groupPath, tx -> {
      PreparedStatement add = tx.statement(ADD_GROUP);
      add.setString(1, groupPath);
      add.executeUpdate();
      PreparedStatement lock = tx.statement(LOCK_GROUP);
      lock.setString(1, groupPath);
      lock.executeQuery().close();
      return change.apply(new InTransaction(tx, groupPath));
    });
  }

  /**
   * Re-encrypts the secrets of every destination that is not under the current key (rows under an older
   * key, and plain rows an older version of the library wrote), in one transaction; rows already under
   * the current key are left as they are. Call it after making a new key current, with the old one
   * still among the older keys; once it returns, the old key may be dropped. On PostgreSQL, give every
   * instance the new key (as an older key, then as the current one) before calling it on one of them:
   * an instance saves with its own current key. A row changed by another process meanwhile is kept as
   * that process wrote it.
   *
   * @return the number of destinations rewritten
   * @throws AuditStreamException when the database fails, or a row's secrets cannot be decrypted (the
   *     message names the destination and the key id); then nothing is rewritten
   */
  public int reencryptSecrets() {
    ensureOpen();
    int rewritten = db.transaction("re-encrypt destination secrets", tx -> {
      try {
        return SecretsReencryption.apply(tx, columns.cipher());
      } catch (IllegalArgumentException e) {
        throw new AuditStreamException("cannot re-encrypt the destination secrets in " + db.location() + ": "
            + e.getMessage(), e);
      }
    });
    log.info("Re-encrypted the secrets of {} destinations in {} under key {}", rewritten, db.location(),
        columns.cipher().keys().currentKeyId());
    return rewritten;
  }

  /** Closes the store; the database closes when the outbox of its store is closed too. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      db.release();
    }
  }

  private void upsert(Transaction tx, DestinationColumns.Row row) throws SQLException {
    PreparedStatement upsert = tx.statement(UPSERT);
    upsert.setString(1, row.id());
    upsert.setString(2, row.groupPath());
    upsert.setString(3, row.name());
    upsert.setString(4, row.kind());
    DeliveryRows.setNullable(upsert, 5, row.artifact());
    upsert.setBoolean(6, row.active());
    upsert.setString(7, row.settings());
    upsert.setString(8, row.secrets());
    upsert.setString(9, row.filters());
    upsert.setString(10, row.createdAt());
    upsert.setString(11, row.updatedAt());
    DeliveryRows.setNullable(upsert, 12, row.pausedReason());
    try {
      upsert.executeUpdate();
    } catch (SQLException e) {
      if (tx.dialect().isUniqueViolation(e)) {
        // The only unique key besides the id, which the upsert replaces by: the name in the group.
        throw new ConflictException("name", "name must be unique in group '" + row.groupPath()
            + "': another destination is named '" + row.name() + "'");
      }
      throw e;
    }
    countChange(tx);
  }

  private static void countChange(Transaction tx) throws SQLException {
    if (tx.dialect().shared()) {
      tx.statement(COUNT_CHANGE).executeUpdate();
    }
  }

  private List<Destination> read(String sql, String parameter) {
    ensureOpen();
    // Decoded after the transaction: a kind's decoding is the slow part, and needs no database.
    return decode(db.transaction("read destinations", tx -> select(tx, sql, parameter)));
  }

  private static List<DestinationColumns.Row> select(Transaction tx, String sql, String parameter)
      throws SQLException {
    PreparedStatement select = tx.statement(sql);
    if (parameter != null) {
      select.setString(1, parameter);
    }
    List<DestinationColumns.Row> out = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        out.add(new DestinationColumns.Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getString(9),
            rs.getString(10), rs.getString(11), rs.getString(12)));
      }
    }
    return out;
  }

  private List<Destination> decode(List<DestinationColumns.Row> rows) {
    List<Destination> out = new ArrayList<>(rows.size());
    for (DestinationColumns.Row row : rows) {
      try {
        out.add(columns.read(row));
      } catch (IllegalArgumentException | ValidationException e) {
        throw new AuditStreamException("cannot read destination " + row.id() + " from " + db.location() + ": "
            + e.getMessage(), e);
      }
    }
    out.sort(OLDEST_FIRST);
    return out;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("destination store is closed");
    }
  }

  /** The reads and writes of one transaction: a {@link #changeGroup} call's, or a save's or delete's. */
  private final class InTransaction implements GroupChange {
    private final Transaction tx;
    private final String groupPath;

    InTransaction(Transaction tx, String groupPath) {
      this.tx = tx;
      this.groupPath = groupPath;
    }

    @Override
    public List<Destination> destinations() {
      return decode(run("read destinations", () -> select(tx, SELECT_GROUP, groupPath)));
    }

    @Override
    public Optional<Destination> find(DestinationId id) {
      Objects.requireNonNull(id, "id");
      return decode(run("read destinations", () -> select(tx, SELECT_ONE, id.value()))).stream().findFirst();
    }

    @Override
    public void save(Destination destination) {
      DestinationColumns.Row row = columns.write(Objects.requireNonNull(destination, "destination"));
      run("save destination " + destination.id(), () -> {
        upsert(tx, row);
        return null;
      });
    }

    @Override
    public boolean delete(DestinationId id) {
      Objects.requireNonNull(id, "id");
      return run("delete destination " + id, () -> {
        PreparedStatement delete = tx.statement(DELETE);
        delete.setString(1, id.value());
        boolean deleted = delete.executeUpdate() > 0;
        if (deleted) {
          countChange(tx);
        }
        return deleted;
      });
    }

    private <T> T run(String what, SqlCall<T> call) {
      try {
        return call.run();
      } catch (SQLException e) {
        throw db.failure(what, e);
      }
    }
  }

  @FunctionalInterface
  private interface SqlCall<T> {
    T run() throws SQLException;
  }
}
