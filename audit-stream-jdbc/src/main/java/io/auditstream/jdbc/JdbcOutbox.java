package io.auditstream.jdbc;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link DeliveryQueue}: an outbox in a database, so that what was accepted and not yet
 * delivered is delivered after a crash or a restart of the host, with the same event id and the same
 * retry schedule. Obtained from {@link EmbeddedStore#outbox()}.
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
 * (read from the database on opening), so a bound costs no query.
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
 * <p><b>Thread-safety.</b> Thread-safe: the outbox and the destination store of one {@link
 * EmbeddedStore} share one database connection under one lock, and each method is one short
 * transaction on it (no network; {@link #removeAll} is the longest, proportional to the destination's
 * rows). Methods block while another holds the lock. Times are kept to the nanosecond from the year
 * 1677 to 2262.
 *
 * <p>Every method throws {@link IllegalStateException} ("outbox is closed") after {@link #close()},
 * and {@link AuditStreamException} when the database fails (a full disk, say); nothing of the failed
 * call is then stored.
 */
public final class JdbcOutbox implements DeliveryQueue {
  private static final Logger log = LoggerFactory.getLogger(JdbcOutbox.class);

  private final Database db;
  private final Duration retention;
  private final Clock clock;
  // These are guarded by db's lock.
  private final Backlogs backlogs;
  private final DeliveredPurge purge;
  private final OfferWriter offers;
  private final Leases leases;
  private final Removals removals;
  private final DeadLetters deadLetters;
  private volatile boolean closed;

  JdbcOutbox(Database db, OutboxSettings settings) {
    this.db = db;
    this.retention = settings.deliveredRetention();
    this.clock = settings.clock();
    this.backlogs = new Backlogs(settings.maxEventsPerDestination(), settings.maxBytesPerDestination());
    this.purge = new DeliveredPurge(retention);
    DeliveryRows rows = new DeliveryRows(settings.decoder(), db.location());
    this.offers = new OfferWriter(db.dialect(), rows, backlogs);
    this.leases = new Leases(rows, backlogs);
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
    ensureOpen();
    return db.locked(() -> backlogs.bytes(destination));
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
      List<Offer> outcomes = offers.write(d, deliveries, now);
      purge.runIfDue(d, now);
      return outcomes;
    });
  }

  /**
   * Leases up to {@code max} of the destination's pending deliveries due at {@code now}, oldest first
   * (in the order they were offered). A delivery whose stored payload the decoder cannot read is
   * turned into a dead letter instead, and logged.
   */
  @Override
  public List<QueuedDelivery> lease(DestinationId destination, int max, Instant now) {
    ensureOpen();
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(now, "now");
    if (max <= 0) {
      return List.of();
    }
    return write("lease deliveries", d -> leases.lease(d, destination, max, now));
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

  /** Returns every leased delivery, of this run or of one that crashed, to pending, schedule unchanged. */
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
    ensureOpen();
    return db.locked(() -> (int) backlogs.count(destination));
  }

  @Override
  public int size() {
    ensureOpen();
    return db.locked(() -> (int) Math.min(Integer.MAX_VALUE, backlogs.total()));
  }

  @Override
  public Set<DestinationId> destinations() {
    ensureOpen();
    return db.locked(backlogs::destinations);
  }

  @Override
  public Optional<Instant> nextDue(DestinationId destination) {
    ensureOpen();
    return db.transaction("read when the next delivery is due", d -> leases.nextDue(d, destination));
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

  /** Closes the outbox; the database closes when the destination store of its {@link EmbeddedStore} is closed too. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      db.release();
    }
  }

  /** How many transactions the database committed; for tests. */
  long commits() {
    return db.commits();
  }

  /** The value of a database setting; for tests. */
  String databaseSetting(String name) {
    return db.setting(name);
  }

  /** How many rows the events and the deliveries tables hold; for tests. */
  long[] storedRows() {
    return db.transaction("count rows", d -> new long[] {DeliveryRows.count(d, OutboxSql.COUNT_EVENTS, null),
        DeliveryRows.count(d, OutboxSql.COUNT_DELIVERIES, null)});
  }

  /** Runs a write that may change the backlogs; see {@link Backlogs#write}. */
  private <T> T write(String what, Database.Work<T> work) {
    return backlogs.write(db, what, work);
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
