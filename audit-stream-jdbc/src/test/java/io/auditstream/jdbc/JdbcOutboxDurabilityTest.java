package io.auditstream.jdbc;

import static io.auditstream.jdbc.TestEvents.T0;
import static io.auditstream.jdbc.TestEvents.delivery;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditStreamException;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.spi.DeadLetter;
import io.auditstream.api.spi.DeliveryQueue.Offer;
import io.auditstream.api.spi.QueuedDelivery;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcOutboxDurabilityTest {
  private static final DestinationId A = DestinationId.of("dest-a");
  private static final DestinationId B = DestinationId.of("dest-b");

  @TempDir Path dir;

  private EmbeddedStore open() {
    return EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).maxEventsPerDestination(3).open();
  }

  @Test
  void writesThroughAWriteAheadLogSyncedOnEveryCommit() {
    try (EmbeddedStore store = open()) {
      assertThat(OutboxProbe.sqliteSetting(store.outbox(), "journal_mode")).isEqualTo("wal");
      assertThat(OutboxProbe.sqliteSetting(store.outbox(), "synchronous")).as("FULL").isEqualTo("2");
      assertThat(OutboxProbe.sqliteSetting(store.outbox(), "locking_mode")).isEqualTo("exclusive");
      assertThat(OutboxProbe.sqliteSetting(store.outbox(), "foreign_keys")).isEqualTo("1");
    }
  }

  @Test
  void pendingDeliveriesSurviveAReopenInTheirOrder() {
    try (EmbeddedStore store = open()) {
      store.outbox().offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0), delivery(B, "e1", T0)));
    }

    try (EmbeddedStore store = open()) {
      assertThat(store.outbox().size()).isEqualTo(3);
      assertThat(store.outbox().destinations()).containsExactlyInAnyOrder(A, B);
      assertThat(store.outbox().lease(A, 10, T0)).containsExactly(delivery(A, "e1", T0), delivery(A, "e2", T0));
    }
  }

  @Test
  void leasesOfAnEarlierRunArePendingAgainAfterReleaseAllLeases() {
    try (EmbeddedStore store = open()) {
      store.outbox().offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));
      store.outbox().lease(A, 10, T0);
      // The run ends with both in flight: never removed, rescheduled or released.
    }

    try (EmbeddedStore store = open()) {
      JdbcOutbox outbox = store.outbox();
      assertThat(outbox.size(A)).as("leased ones are still in the backlog").isEqualTo(2);
      assertThat(outbox.lease(A, 10, T0)).as("still leased until released").isEmpty();

      outbox.releaseAllLeases();

      assertThat(outbox.lease(A, 10, T0)).extracting(QueuedDelivery::eventId).containsExactly("e1", "e2");
    }
  }

  @Test
  void attemptsScheduleAndLastErrorSurviveAReopen() {
    QueuedDelivery failed;
    try (EmbeddedStore store = open()) {
      store.outbox().offer(List.of(delivery(A, "e1", T0)));
      failed = store.outbox().lease(A, 1, T0).get(0).failedAttempt(T0.plusSeconds(40), "connection refused")
          .failedAttempt(T0.plusSeconds(80), "HTTP 502");
      store.outbox().reschedule(List.of(failed));
    }

    try (EmbeddedStore store = open()) {
      assertThat(store.outbox().nextDue(A)).contains(T0.plusSeconds(80));
      assertThat(store.outbox().lease(A, 1, T0.plusSeconds(79))).isEmpty();
      assertThat(store.outbox().lease(A, 1, T0.plusSeconds(80))).singleElement().satisfies(d -> {
        assertThat(d).isEqualTo(failed);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.lastError()).contains("HTTP 502");
      });
    }
  }

  @Test
  void deadLettersSurviveAReopen() {
    try (EmbeddedStore store = open()) {
      store.outbox().offer(List.of(delivery(A, "e1", T0)));
      store.outbox().deadLetter(store.outbox().lease(A, 1, T0), T0.plusSeconds(3), "refused: HTTP 410");
    }

    try (EmbeddedStore store = open()) {
      assertThat(store.outbox().size(A)).isZero();
      assertThat(store.outbox().deadLetters(A, 10)).singleElement().satisfies(d -> {
        assertThat(d.eventId()).isEqualTo("e1");
        assertThat(d.event()).isEqualTo(TestEvents.encoded("e1"));
        assertThat(d.reason()).isEqualTo("refused: HTTP 410");
        assertThat(d.deadAt()).isEqualTo(T0.plusSeconds(3));
      });
      assertThat(store.outbox().redeliver(A, List.of("e1"), T0.plusSeconds(9))).isOne();
    }
  }

  @Test
  void boundsCountTheBacklogFoundOnDiskAfterAReopen() {
    try (EmbeddedStore store = open()) {
      store.outbox().offer(List.of(delivery(A, "e1", T0), delivery(A, "e2", T0)));
      store.outbox().lease(A, 1, T0);
    }

    try (EmbeddedStore store = open()) {
      assertThat(store.outbox().offer(List.of(delivery(A, "e3", T0), delivery(A, "e4", T0))))
          .containsExactly(Offer.ACCEPTED, Offer.DESTINATION_FULL);
      assertThat(store.outbox().bytes(A)).isEqualTo(3L * TestEvents.encoded("e1").json().length);
    }
  }

  @Test
  void refusesASecondStoreOnTheSameFolder() {
    try (EmbeddedStore store = open()) {
      assertThatThrownBy(this::open).isInstanceOf(AuditStreamException.class)
          .hasMessageContaining("another process").hasMessageContaining(dir.toString());
      assertThat(store.outbox().offer(List.of(delivery(A, "e1", T0)))).containsExactly(Offer.ACCEPTED);
    }
  }

  @Test
  void recordsTheSchemaVersionsItApplied() throws Exception {
    try (EmbeddedStore store = open()) {
      assertThat(store.schemaVersion()).isEqualTo(4);
    }
    try (EmbeddedStore store = open()) {
      assertThat(store.schemaVersion()).isEqualTo(4);
    }

    assertThat(RawDatabase.column(dir, "SELECT version || ':' || description FROM schema_version ORDER BY version"))
        .containsExactly("1:outbox (events, deliveries) and destinations", "2:destinations.paused_reason",
            "3:drop the unused index deliveries_lease", "4:destinations.secrets encrypted at rest");
  }

  @Test
  void refusesADatabaseOfANewerSchemaVersion() throws Exception {
    open().close();
    RawDatabase.execute(dir, "INSERT INTO schema_version VALUES (5, 'from the future', '2030-01-01T00:00:00Z')");

    assertThatThrownBy(this::open).isInstanceOf(AuditStreamException.class)
        .hasMessageContaining("schema version 5").hasMessageContaining("newer version of audit-stream");
    // The refused open let go of the database: it can be written, and opened once it is of a known version.
    RawDatabase.execute(dir, "DELETE FROM schema_version WHERE version = 5");
    try (EmbeddedStore store = open()) {
      assertThat(store.schemaVersion()).isEqualTo(4);
    }
  }

  @Test
  void makesTheFolderAndTheDatabaseReadableByTheOwnerAlone() throws Exception {
    Path folder = dir.resolve("state");
    try (EmbeddedStore store = EmbeddedStore.open(folder, TestEvents::decode)) {
      store.outbox().offer(List.of(delivery(A, "e1", T0)));
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.databaseFile())))
            .isEqualTo("rw-------");
        Path wal = folder.resolve(EmbeddedStore.DATABASE_FILE + "-wal");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
      }
      assertThat(store.databaseFile()).isEqualTo(folder.toAbsolutePath().resolve("audit-stream.db"));
    }
  }

  @Test
  void refusesToOpenWithoutAnEventDecoderOrWithBoundsBelowOne() {
    assertThatThrownBy(() -> EmbeddedStore.builder(dir).open()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eventDecoder is required");
    assertThatThrownBy(() -> EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).maxEventsPerDestination(0)
        .open()).hasMessage("maxEventsPerDestination must be at least 1 (was 0)");
    assertThatThrownBy(() -> EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode).maxBytesPerDestination(0)
        .open()).hasMessage("maxBytesPerDestination must be at least 1 (was 0)");
    assertThatThrownBy(() -> EmbeddedStore.builder(dir).eventDecoder(TestEvents::decode)
        .deliveredRetention(java.time.Duration.ofSeconds(-1)).open())
        .hasMessageContaining("deliveredRetention must be zero to 100 years");
  }

  @Test
  void keepsTheDatabaseOpenUntilBothTheOutboxAndTheDestinationStoreAreClosed() {
    EmbeddedStore store = open();
    store.outbox().close();
    assertThat(store.destinations().findAll()).isEmpty();
    assertThatThrownBy(this::open).as("still held").isInstanceOf(AuditStreamException.class);

    store.destinations().close();

    try (EmbeddedStore reopened = open()) {
      assertThat(reopened.outbox().size()).isZero();
    }
  }

  @Test
  void deadLetterRecordsCarryTheDestination() {
    try (EmbeddedStore store = open()) {
      store.outbox().offer(List.of(delivery(B, "e1", T0)));
      store.outbox().deadLetter(List.of(delivery(B, "e1", T0)), T0, "refused");
      assertThat(store.outbox().deadLetters(B, 1)).extracting(DeadLetter::destinationId).containsExactly(B);
    }
  }
}
