package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DestinationStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link DestinationStore} in the database of an {@link EmbeddedStore}, beside the outbox: one row
 * per destination in the {@code destinations} table. Obtained from {@link
 * EmbeddedStore#destinations()}.
 *
 * <p>Every kind is stored alike, through its {@link io.auditstream.api.destination.DestinationKind}:
 * the kind's name and artifact, the config's plain settings in the {@code settings} column, and the
 * verification token and the config's secrets (header values, keys) apart in the {@code secrets}
 * column, <b>in plain text</b>: the data folder must be readable by the host alone (the store makes
 * it so where the file system has POSIX permissions). Why a destination is paused, when it is, is in
 * the {@code paused_reason} column (null otherwise). A destination of a kind that is not on the
 * classpath is kept as an {@link io.auditstream.api.destination.UnavailableDestinationConfig} and
 * written back unchanged.
 *
 * <p>Reads go to the database every time, so what is listed is what is stored. {@link #save} and
 * {@link #delete} are durable when they return.
 *
 * <p>Thread-safe: it shares the outbox's connection and lock, and each method is one short
 * transaction. Every method throws {@link IllegalStateException} ("destination store is closed") after
 * {@link #close()}, and {@link AuditStreamException} when the database fails or holds a row it cannot
 * read.
 */
public final class JdbcDestinationStore implements DestinationStore {
  private static final String COLUMNS = "id, group_path, name, kind, artifact, active, settings, secrets, filters,"
      + " created_at, updated_at, paused_reason";

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
    return select("SELECT " + COLUMNS + " FROM destinations", null);
  }

  /** The destinations of one top-level group, oldest first. */
  @Override
  public List<Destination> findByGroup(String groupPath) {
    Objects.requireNonNull(groupPath, "groupPath");
    return select("SELECT " + COLUMNS + " FROM destinations WHERE group_path = ?", groupPath);
  }

  @Override
  public Optional<Destination> find(DestinationId id) {
    Objects.requireNonNull(id, "id");
    return select("SELECT " + COLUMNS + " FROM destinations WHERE id = ?", id.value()).stream().findFirst();
  }

  /** Inserts or replaces by id; committed when it returns. */
  @Override
  public void save(Destination destination) {
    ensureOpen();
    DestinationColumns.Row row = columns.write(Objects.requireNonNull(destination, "destination"));
    db.transaction("save destination " + destination.id(), d -> {
      PreparedStatement upsert = d.statement(d.dialect().upsertDestination());
      upsert.setString(1, row.id());
      upsert.setString(2, row.groupPath());
      upsert.setString(3, row.name());
      upsert.setString(4, row.kind());
      if (row.artifact() == null) {
        upsert.setNull(5, Types.VARCHAR);
      } else {
        upsert.setString(5, row.artifact());
      }
      upsert.setBoolean(6, row.active());
      upsert.setString(7, row.settings());
      upsert.setString(8, row.secrets());
      upsert.setString(9, row.filters());
      upsert.setString(10, row.createdAt());
      upsert.setString(11, row.updatedAt());
      if (row.pausedReason() == null) {
        upsert.setNull(12, Types.VARCHAR);
      } else {
        upsert.setString(12, row.pausedReason());
      }
      upsert.executeUpdate();
      return null;
    });
  }

  /** Deletes; committed when it returns. */
  @Override
  public boolean delete(DestinationId id) {
    ensureOpen();
    Objects.requireNonNull(id, "id");
    return db.transaction("delete destination " + id, d -> {
      PreparedStatement delete = d.statement("DELETE FROM destinations WHERE id = ?");
      delete.setString(1, id.value());
      return delete.executeUpdate() > 0;
    });
  }

  /** Closes the store; the database closes when the outbox of its {@link EmbeddedStore} is closed too. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      db.release();
    }
  }

  private List<Destination> select(String sql, String parameter) {
    ensureOpen();
    List<DestinationColumns.Row> rows = db.transaction("read destinations", d -> {
      PreparedStatement select = d.statement(sql);
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
    });
    // Decoded outside the lock: a kind's decoding is the slow part, and needs no database.
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
}
