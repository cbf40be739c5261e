package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.logging.type.LogSeverity;
import com.google.logging.v2.LogEntry;
import io.auditstream.sink.gcp.FakeCloudLogging;
import io.auditstream.sink.gcp.ServiceAccountKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo streaming to a Cloud Logging server on loopback. */
class GcpDemoTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private FakeCloudLogging server;

  @BeforeEach
  void start() throws Exception {
    server = FakeCloudLogging.plaintext();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return DemoApplication.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> outLines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private List<String> errLines() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void streamsTheSampleEventsToALocalCloudLoggingServer() {
    int status = run("--gcp-project", "acme-demo", "--gcp-plaintext", "--gcp-endpoint", server.endpoint(),
        "--gcp-log-id", "demo-audit", "--allow-local-network");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(outLines()).first().asString().contains("Cloud Logging projects/acme-demo/logs/demo-audit");
    assertThat(outLines()).last().isEqualTo("delivered=10 failed=0 pending=0 dropped=0");
    List<LogEntry> entries = server.entries();
    assertThat(entries).hasSize(10);
    assertThat(entries).extracting(LogEntry::getInsertId).doesNotHaveDuplicates();
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.getLogName()).isEqualTo("projects/acme-demo/logs/demo-audit");
      assertThat(e.getSeverity()).isEqualTo(LogSeverity.INFO);
      assertThat(e.getJsonPayload().getFieldsOrThrow("entity_path").getStringValue()).startsWith("acme");
    });
    assertThat(entries).extracting(e -> e.getJsonPayload().getFieldsOrThrow("entity_path").getStringValue())
        .contains("acme", "acme/platform", "acme/platform/api", "acme/web");
  }

  @Test
  void refusesAPlaintextLoopbackEndpointWithoutAllowLocalNetwork() {
    int status = run("--gcp-project", "acme-demo", "--gcp-plaintext", "--gcp-endpoint", server.endpoint());

    assertThat(status).isEqualTo(2);
    assertThat(errLines()).singleElement().asString().startsWith("error: ").contains("plaintext")
        .contains("--allow-local-network");
    assertThat(server.attempts()).isZero();
  }

  @Test
  void refusesInvalidGcpOptionsWithOneLineNamingTheProblem(@TempDir Path dir) throws Exception {
    Path pkcs1 = dir.resolve("key.pem");
    Files.writeString(pkcs1, ServiceAccountKeys.generate().privateKeyPem().replace("PRIVATE KEY", "RSA PRIVATE KEY"));

    assertRefused("googleProjectIdName", "--gcp-project", "Bad_Project", "--gcp-plaintext",
        "--gcp-endpoint", server.endpoint(), "--allow-local-network");
    assertRefused("--gcp-project is required", "--gcp-log-id", "x");
    assertRefused("--gcp-private-key-file is required", "--gcp-project", "acme-demo");
    assertRefused("cannot be read", "--gcp-project", "acme-demo", "--gcp-client-email", "a@b.example.com",
        "--gcp-private-key-file", dir.resolve("missing.json").toString());
    assertRefused("openssl pkcs8", "--gcp-project", "acme-demo", "--gcp-client-email", "a@b.example.com",
        "--gcp-private-key-file", pkcs1.toString());
    assertRefused("endpoint", "--gcp-project", "acme-demo", "--gcp-plaintext", "--gcp-endpoint", "nohostport",
        "--allow-local-network");
    assertRefused("choose one destination", "--gcp-project", "acme-demo", "--gcp-plaintext",
        "--gcp-endpoint", server.endpoint(), "--destination-url", "https://example.com/hook");
    assertRefused("--gcp-endpoint needs a value", "--gcp-project", "acme-demo", "--gcp-endpoint");
    assertThat(server.attempts()).isZero();
  }

  @Test
  void refusesAPlainHttpTokenServerOnAPublicHostNamingTheDemoOptionThatAllowsIt(@TempDir Path dir) throws Exception {
    ServiceAccountKeys keys = ServiceAccountKeys.generate();
    Path pem = dir.resolve("key.pem");
    Files.writeString(pem, keys.privateKeyPem());

    assertRefused("tokenServerUri must use https", "--gcp-project", "acme-demo", "--gcp-client-email",
        "writer@acme-demo.iam.gserviceaccount.com", "--gcp-private-key-file", pem.toString(),
        "--gcp-token-server-uri", "http://oauth.receiver.example/token");
    assertThat(errLines()).singleElement().asString().contains("(demo option: --allow-plain-http;")
        .doesNotContain(keys.privateKeyBody());
    assertRefused("tokenServerUri", "--gcp-project", "acme-demo", "--gcp-client-email",
        "writer@acme-demo.iam.gserviceaccount.com", "--gcp-private-key-file", pem.toString(),
        "--gcp-token-server-uri", "https://0x7f000001/token", "--allow-local-network");
    assertThat(server.attempts()).isZero();
  }

  @Test
  void readsTheKeyAndClientEmailFromAJsonKeyFile(@TempDir Path dir) throws Exception {
    ServiceAccountKeys keys = ServiceAccountKeys.generate();
    Path json = dir.resolve("sa.json");
    Files.writeString(json, "{\"type\":\"service_account\",\"client_email\":\"writer@acme-demo.iam.gserviceaccount.com\","
        + "\"private_key\":\"" + keys.privateKeyPem().replace("\n", "\\n") + "\"}");

    DemoOptions options = DemoOptions.parse("--gcp-project", "acme-demo", "--gcp-private-key-file", json.toString());

    assertThat(((GcpDemoOptions) options.cloud()).clientEmail()).isEqualTo("writer@acme-demo.iam.gserviceaccount.com");
    assertThat(((GcpDemoOptions) options.cloud()).privateKeyPem()).isEqualTo(keys.privateKeyPem());
    assertThat(((GcpDemoOptions) options.cloud()).toString()).contains("privateKey=set").doesNotContain(keys.privateKeyBody());
  }

  @Test
  void helpListsTheGcpOptions() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--gcp-project", "--gcp-client-email",
        "--gcp-private-key-file", "--gcp-log-id", "--gcp-endpoint", "--gcp-token-server-uri", "--gcp-plaintext");
  }

  private void assertRefused(String mention, String... args) {
    int status = run(args);
    assertThat(status).as("exit status for %s", List.of(args)).isEqualTo(2);
    assertThat(errLines()).singleElement().asString().startsWith("error: ").contains(mention);
    assertThat(outLines()).noneMatch(l -> l.startsWith("delivered="));
  }
}
