package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link DeliveryQueue}: an outbox in a database, so that what was accepted and not yet
 * delivered is delivered after a crash or a restart of the host, with the same event id and the same
 * retry schedule. Obtained from {@link EmbeddedStore#outbox()} (SQLite, one process) or {@link
 * PostgresStore#outbox()} (PostgreSQL, shared by several processes).
 *
 * <p><b>Durability.</b> {@link #offer} returns once its transaction committed: with the embedded
 * store (SQLite in WAL mode with {@code synchronous=FULL}) an accepted delivery survives {@code kill
 * -9} and a power loss. All the deliveries of one call are written in one transaction (group commit),
 * their rows inserted as JDBC batches: that, not the database, is what makes a durable outbox fast.
 *
 * <p><b>What is stored.</b> Each event once, as its payload bytes ({@link EncodedEvent#json()}),
 * however many destinations get it; and one row per delivery with its state (pending, leased, a dead
 * letter, or delivered), attempts, schedule, last error and the reason it died. Events are rebuilt
 * from their payload by the decoder the host gives ({@code AuditEventJson::decode}). An event id
 * that was stored with one payload keeps it: a later offer of that id with other bytes still sends
 * the first ones.
 *
 * <p><b>Bounds.</b> Each destination's backlog (pending and leased deliveries) holds at most {@link
 * #maxEventsPerDestination()} deliveries and {@link #maxBytesPerDestination()} payload bytes; an
 * offer beyond either is refused with {@link Offer#DESTINATION_FULL} for that destination alone.
 * There is no bound across destinations: the outbox is on disk. The backlogs are counted in memory
 * (read from the database on opening), so a bound costs no query. On a shared database the counts are
 * read again when older than about a second, and meanwhile count this process's changes alone: a
 * bound then holds approximately across processes, and {@link #size()}, {@link #destinations()} and
 * the like lag the other processes by up to that second.
 *
 * <p><b>Delivered rows.</b> {@link #remove} marks a delivery delivered, and keeps the row for the
 * retention the store was built with, after which it and the events no row refers to any more are
 * deleted; with a retention of zero they are deleted at once. While a delivered row is kept, an offer
 * of the same event to the same destination is recognised as a duplicate and not delivered again.
 * The deletions run within the outbox's own writes, at most once a minute, a bounded number of rows
 * at a time.
 *
 * <p><b>Deliveries by key.</b> Every method that takes deliveries finds them by {@link
 * QueuedDelivery#key() key} (destination and event id), whatever object is passed; a key the outbox
 * does not hold, or holds in another state than the method needs, is ignored.
 *
 * <p><b>Shared leases.</b> On PostgreSQL a lease names this process (its instance id) and lasts the
 * store's lease duration. One process at a time works a destination: a lease takes nothing while
 * another process holds a live lease on any of the destination's deliveries, and takes over those
 * whose lease ended (their process died, or was too slow), oldest first. {@link #releaseAllLeases()}
 * returns this process's leases alone. {@link #appendInTransaction} and {@link #drainInbox} are the
 * transactional outbox; the embedded store has neither.
 *
 * <p><b>Thread-safety.</b> Thread-safe. The outbox and the destination store of one {@link
 * EmbeddedStore} share one database connection under one lock; those of a {@link PostgresStore} borrow
 * a connection of the host's pool per call, and calls run concurrently. Each method is one short
 * transaction (no network; {@link #removeAll} is the longest, proportional to the destination's
 * rows). Times are kept to the nanosecond from the year 1677 to 2262.
 *
 * <p>Every method throws {@link IllegalStateException} ("outbox is closed") after {@link #close()},
 * and {@link AuditStreamException} when the database fails (a full disk, say); nothing of the failed
 * call is then stored.
 */
public final class JdbcOutbox implements DeliveryQueue {
  private static final Logger log = LoggerFactory.getLogger(JdbcOutbox.class);

  // Where others share the database: how old the backlog counts may grow before they are read again.
  private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(1);

  private final Database db;
  private final Duration retention;
  private final Clock clock;
  private final Duration pollInterval;
  private final Backlogs backlogs;
  private final DeliveredPurge purge;
  private final OfferWriter offers;
  private final Leases leases;
  private final Removals removals;
  private final DeadLetters deadLetters;
  private final Optional<Inbox> inbox;
  private volatile boolean closed;

  /**
   * Opens the outbox in {@code db}, leasing with {@code claims}; {@code pollInterval} is what {@link
   * #pollInterval()} tells the engine.
   */
  JdbcOutbox(Database db, OutboxSettings settings, LeaseClaims claims, Duration pollInterval) {
    this.db = db;
    this.retention = settings.deliveredRetention();
    this.clock = settings.clock();
    this.pollInterval = pollInterval;
    this.backlogs = new Backlogs(settings.maxEventsPerDestination(), settings.maxBytesPerDestination(),
        db.dialect().shared() ? BACKLOG_REFRESH : Duration.ZERO);
    this.purge = new DeliveredPurge(retention);
    DeliveryRows rows = new DeliveryRows(settings.decoder(), db.location());
    this.offers = new OfferWriter(db.dialect(), rows, backlogs);
    this.inbox = db.dialect().appendToInbox().map(sql -> new Inbox(sql, rows, offers));
    this.leases = new Leases(rows, backlogs, claims);
    this.removals = new Removals(rows, backlogs, purge);
    this.deadLetters = new DeadLetters(rows, backlogs);
    int purged = write("purge delivered deliveries", d -> {
      backlogs.load(d);
      return purge.runIfDue(d, now());
    });
    log.info("Opened outbox in {}: {} deliveries pending for {} destinations{}", db.location(), backlogs.total(),
        backlogs.destinations().size(), purged > 0 ? ", " + purged + " delivered rows past retention deleted" : "");
  }

  /** The most deliveries one destination's backlog (pending and leased) holds. */
  public int maxEventsPerDestination() {
    return backlogs.maxCount();
  }

  /** The most payload bytes one destination's backlog (pending and leased) holds. */
  public long maxBytesPerDestination() {
    return backlogs.maxBytes();
  }

  /** How long a delivered row is kept; zero when it is deleted at once. */
  public Duration deliveredRetention() {
    return retention;
  }

  /** The payload bytes of a destination's pending and leased deliveries. */
  public long bytes(DestinationId destination) {
    return counts().bytes(destination);
  }

  /**
   * Stores the deliveries that fit their destination's bounds, in one transaction, and returns once it
   * committed. A key already held (pending, leased, a dead letter, or delivered and still kept) is
   * accepted without a second copy, whatever the bounds.
   */
  @Override
  public List<Offer> offer(List<QueuedDelivery> deliveries) {
    ensureOpen();
    if (deliveries.isEmpty()) {
      return List.of();
    }
    long now = now();
    return write("offer deliveries", d -> {
      backlogs.refreshIfStale(d);
      List<Offer> outcomes = offers.write(d, deliveries, now);
      purge.runIfDue(d, now);
      return outcomes;
    });
  }

  /**
   * Leases up to {@code max} of the destination's pending deliveries due at {@code now}, oldest first
   * (in the order they were offered). A delivery whose stored payload the decoder cannot read is
   * turned into a dead letter instead, and logged. On a shared database, leases nothing while another
   * process holds a live lease on any of the destination's deliveries, and takes over those whose lease
   * ended.
   */
  @Override
  public List<QueuedDelivery> lease(DestinationId destination, int max, Instant now) {
    ensureOpen();
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(now, "now");
    if (max <= 0) {
      return List.of();
    }
    return write("lease deliveries", d -> leases.lease(d, destination, max, now, now()));
  }

  /**
   * Marks leased (or pending) deliveries delivered, or deletes them when the retention is zero, with
   * their events once no delivery refers to them.
   */
  @Override
  public void remove(Collection<QueuedDelivery> delivered) {
    ensureOpen();
    if (delivered.isEmpty()) {
      return;
    }
    long now = now();
    write("remove delivered deliveries", d -> removals.delivered(d, delivered, now));
  }

  /** Stores each delivery's new attempts, next attempt time and last error, and returns it to pending. */
  @Override
  public void reschedule(Collection<QueuedDelivery> failed) {
    ensureOpen();
    if (failed.isEmpty()) {
      return;
    }
    write("reschedule deliveries", d -> leases.reschedule(d, failed));
  }

  /**
   * Turns pending or leased deliveries into dead letters, storing the attempts and last error each
   * carries, the time and the reason.
   */
  @Override
  public void deadLetter(Collection<QueuedDelivery> deliveries, Instant at, String reason) {
    ensureOpen();
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
    if (deliveries.isEmpty()) {
      return;
    }
    write("store dead letters", d -> deadLetters.store(d, deliveries, at, reason));
  }

  @Override
  public void release(Collection<QueuedDelivery> deliveries) {
    ensureOpen();
    if (deliveries.isEmpty()) {
      return;
    }
    write("release deliveries", d -> leases.release(d, deliveries));
  }

  /**
   * Returns the deliveries this process leased, in this run or in one that crashed, to pending, schedule
   * unchanged. On a shared database those are the ones leased under this store's instance id: the live
   * leases of other processes are left to them.
   */
  @Override
  public void releaseAllLeases() {
    ensureOpen();
    int released = write("release all leases", leases::releaseAll);
    if (released > 0) {
      log.info("Outbox {}: {} deliveries leased by an earlier run are pending again", db.location(), released);
    }
  }

  /** Deletes every delivery of the destination, its dead letters and delivered rows included. */
  @Override
  public int removeAll(DestinationId destination) {
    ensureOpen();
    Objects.requireNonNull(destination, "destination");
    return write("remove a destination's deliveries", d -> removals.all(d, destination));
  }

  @Override
  public int size(DestinationId destination) {
    return (int) counts().count(destination);
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, counts().total());
  }

  @Override
  public Set<DestinationId> destinations() {
    return counts().destinations();
  }

  /**
   * When the oldest pending delivery of the destination is due. On a shared database: when another
   * process holds a live lease on the destination's deliveries, the end of that lease; when the next
   * delivery to lease is one whose lease ended, that end (which has passed).
   */
  @Override
  public Optional<Instant> nextDue(DestinationId destination) {
    ensureOpen();
    return db.transaction("read when the next delivery is due", d -> leases.nextDue(d, destination, now()));
  }

  /**
   * The destination's dead letters in the order they were given up on, at most {@code limit}. One
   * whose stored payload the decoder cannot read is left out, and logged.
   */
  @Override
  public List<DeadLetter> deadLetters(DestinationId destination, int limit) {
    ensureOpen();
    if (limit <= 0) {
      return List.of();
    }
    return db.transaction("read dead letters", d -> deadLetters.list(d, destination, limit));
  }

  @Override
  public int deadLetterCount(DestinationId destination) {
    ensureOpen();
    return db.transaction("count dead letters", d -> deadLetters.count(d, destination));
  }

  /**
   * Turns the named dead letters back into pending deliveries that start over: no attempts, due at
   * {@code now}, and their age (which bounds their retries) counted from {@code now}. They keep their
   * place in the destination's order. A redelivery is never refused by the destination's bounds (an
   * Owner asked for it), and counts toward them afterwards.
   */
  @Override
  public int redeliver(DestinationId destination, Collection<String> eventIds, Instant now) {
    ensureOpen();
    Objects.requireNonNull(now, "now");
    return write("redeliver dead letters", d -> deadLetters.redeliver(d, destination, eventIds, now));
  }

  /** As {@link #redeliver(DestinationId, Collection, Instant)}, for those given up on at or after {@code since}. */
  @Override
  public int redeliverSince(DestinationId destination, Instant since, Instant now) {
    ensureOpen();
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(now, "now");
    return write("redeliver dead letters", d -> deadLetters.redeliverSince(d, destination, since, now));
  }

  /** The store's poll interval on a shared database; {@link Duration#ZERO} on the embedded one. */
  @Override
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * Appends the event to the inbox ({@code <schema>.event_inbox}) on the host's connection, inside its
   * transaction: the event is routed by {@link #drainInbox} if and only if that transaction commits.
   * Neither commits, rolls back, closes the connection nor changes its settings.
   *
   * @throws UnsupportedOperationException on the embedded store, which has no inbox
   * @throws SQLException when the database refuses the insert
   */
  @Override
  public void appendInTransaction(Connection connection, EncodedEvent event) throws SQLException {
    ensureOpen();
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(event, "event");
    if (inbox.isEmpty()) {
      DeliveryQueue.super.appendInTransaction(connection, event);
      return;
    }
    inbox.get().append(connection, event, now());
  }

  /**
   * In one transaction: takes up to {@code max} of the oldest events in the inbox that no other
   * transaction holds, rebuilds each with the decoder (one it cannot read is logged by its id and
   * dropped), stores their deliveries as {@link #offer} does, and deletes them from the inbox. Routes
   * nothing on the embedded store.
   */
  @Override
  public List<InboxDelivery> drainInbox(int max, Function<EncodedEvent, List<QueuedDelivery>> router) {
    ensureOpen();
    Objects.requireNonNull(router, "router");
    if (inbox.isEmpty() || max <= 0) {
      return List.of();
    }
    long now = now();
    return write("route the inbox", d -> {
      backlogs.refreshIfStale(d);
      return inbox.get().drain(d, max, router, now);
    });
  }

  /** Closes the outbox; the database closes when the destination store of its store is closed too. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      db.release();
    }
  }

  /** The database, for tests that look at it beside the outbox. */
  Database database() {
    return db;
  }

  /** Runs a write that may change the backlogs; see {@link Backlogs#write}. */
  private <T> T write(String what, Database.Work<T> work) {
    return backlogs.write(db, what, work);
  }

  /** The backlogs, read again first where others share the database and they are stale. */
  private Backlogs counts() {
    ensureOpen();
    backlogs.refreshIfStale(db);
    return backlogs;
  }

  private long now() {
    return EpochNanos.of(clock.instant());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("outbox is closed");
    }
  }
}
