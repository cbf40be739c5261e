package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two demo processes on one PostgreSQL database, started at the same moment with the same destination
 * URL: they store one destination between them, share its delivery, and every event of both reaches
 * the receiver.
 */
class DemoPostgresTest {
  private static final int EVENTS = 400;
  private static final String TOKEN = "shared-token-0123456789";

  private EmbeddedPostgres postgres;
  private CountingReceiver receiver;
  private final DemoProcesses demos = new DemoProcesses();

  @BeforeEach
  void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    receiver = new CountingReceiver(TOKEN, 0);
  }

  @AfterEach
  void stop() throws Exception {
    demos.close();
    receiver.close();
    postgres.close();
  }

  @Test
  void twoDemoProcessesOnOneDatabaseShareOneDestinationAndDeliverEveryEventOfBoth() throws Exception {
    String[] args = {"--postgres-url", postgres.getJdbcUrl("postgres", "postgres"), "--postgres-user", "postgres",
        "--postgres-password", "unused-by-trust-auth",
        "--secret-keys", "demo:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "--destination-url", receiver.url(),
        "--allow-local-network",
        "--verification-token", TOKEN, "--events", String.valueOf(EVENTS)};
    DemoProcesses.Run a = demos.start(args);
    DemoProcesses.Run b = demos.start(args);

    assertThat(a.process().waitFor(50, TimeUnit.SECONDS)).as("the first process ends; its output: %s", a.output())
        .isTrue();
    assertThat(b.process().waitFor(20, TimeUnit.SECONDS)).as("the second process ends; its output: %s", b.output())
        .isTrue();

    assertThat(a.process().exitValue()).as("first output: %s", a.output()).isZero();
    assertThat(b.process().exitValue()).as("second output: %s", b.output()).isZero();
    assertThat(receiver.received()).as("every event of both processes was received").hasSize(2 * EVENTS);
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_stream.destinations")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("one destination stored for both").isEqualTo(1);
    }
    System.out.printf("two demo processes: %d events received, %d more than once%n", receiver.received().size(),
        receiver.duplicates());
  }
}
