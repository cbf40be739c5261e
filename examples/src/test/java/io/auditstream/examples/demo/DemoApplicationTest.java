package io.auditstream.examples.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.auditstream.webhook.WebhookVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoApplicationTest {
  private static final String TOKEN = "demo-token-0123456789";
  private static final String SIGNING_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SIGNING_KEY_LINE = "jsonl-file signing key: ";
  private static final String EVENT_FIELD = ",\"event\":";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private WireMockServer server;

  @BeforeEach
  void startServer() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  private int run(String... args) {
    return DemoApplication.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> outLines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private List<String> errLines() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private String url() {
    return "http://127.0.0.1:" + server.port() + "/hook";
  }

  @Test
  void withNoOptionsDeliversEverySampleEventToItsOwnReceiverWithMatchingToken() {
    int status = run();

    assertThat(status).isZero();
    List<String> received = outLines().stream().filter(l -> l.startsWith("received ")).toList();
    assertThat(received).hasSize(10).allMatch(l -> l.endsWith("token=matched"));
    assertThat(received).anyMatch(l -> l.contains("entity_path=acme "))
        .anyMatch(l -> l.contains("entity_path=acme/platform "))
        .anyMatch(l -> l.contains("entity_path=acme/platform/api "))
        .anyMatch(l -> l.contains("entity_path=acme/web "));
    assertThat(outLines()).last().isEqualTo("delivered=10 failed=0 pending=0 dropped=0");
  }

  @Test
  void streamsToTheGivenUrlWithTokenHeadersContentTypeAndFilter() throws Exception {
    int status = run("--destination-url", url(), "--allow-local-network", "--verification-token", TOKEN,
        "--events", "14", "--content-type", "application/json", "--header", "X-Team=audit",
        "--event-type-filter", "project_created", "--event-type-filter", "member_created");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo("/hook")));
    // 14 events cycle through 7 templates: 2 project_created and 4 member_created pass the filter.
    assertThat(requests).hasSize(6);
    List<String> types = new ArrayList<>();
    for (LoggedRequest r : requests) {
      assertThat(r.getHeader("X-Gitlab-Event-Streaming-Token")).isEqualTo(TOKEN);
      assertThat(r.getHeader("X-Team")).isEqualTo("audit");
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/json");
      JsonNode body = new ObjectMapper().readTree(r.getBodyAsString());
      types.add(body.get("event_type").asText());
      assertThat(r.getHeader("X-Gitlab-Audit-Event-Type")).isEqualTo(body.get("event_type").asText());
    }
    assertThat(types).containsOnly("project_created", "member_created");
    assertThat(outLines()).last().isEqualTo("delivered=6 failed=0 pending=0 dropped=0");
  }

  @Test
  void withASigningSecretSignsEveryRequestAndItsOwnReceiverVerifiesEachSignature() {
    int status = run("--signing-secret", SIGNING_SECRET, "--events", "5");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> received = outLines().stream().filter(l -> l.startsWith("received ")).toList();
    assertThat(received).hasSize(5).allMatch(l -> l.endsWith("token=matched signature=verified"));
    assertThat(outLines()).last().isEqualTo("delivered=5 failed=0 pending=0 dropped=0");
  }

  @Test
  void withASigningSecretEveryRequestToTheGivenUrlCarriesTheThreeSignatureHeaders() throws Exception {
    int status = run("--destination-url", url(), "--allow-local-network", "--verification-token", TOKEN,
        "--signing-secret", SIGNING_SECRET, "--events", "4");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo("/hook")));
    assertThat(requests).hasSize(4);
    WebhookVerifier verifier = WebhookVerifier.builder().secret(SIGNING_SECRET).build();
    for (LoggedRequest r : requests) {
      assertThat(r.getHeader("X-Gitlab-Event-Streaming-Token")).isEqualTo(TOKEN);
      assertThat(r.getHeader("webhook-id")).isEqualTo(new ObjectMapper().readTree(r.getBody()).get("id").asText());
      assertThat(r.getHeader("webhook-timestamp")).matches("[0-9]+");
      assertThat(r.getHeader("webhook-signature")).startsWith("v1,");
      verifier.verify(r::getHeader, r.getBody());
    }
  }

  @Test
  void refusesABadSigningSecretWithOneLineThatDoesNotShowItBeforeSendingAnything() {
    for (String bad : List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_c2hvcnQ=", "whsec_***not-base64***")) {
      assertRefused("signingSecret", "--destination-url", url(), "--allow-local-network", "--signing-secret", bad);
      assertThat(errLines()).singleElement().asString().doesNotContain(bad.replace("whsec_", ""));
      assertRefused("signingSecret", "--signing-secret", bad);
    }
    assertRefused("--signing-secret needs a value", "--signing-secret");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void exitsNonZeroAndCountsFailuresWhenTheDestinationRefusesEvents() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(403)));

    int status = run("--destination-url", url(), "--allow-local-network", "--events", "3");

    assertThat(status).isEqualTo(1);
    assertThat(outLines()).last().isEqualTo("delivered=0 failed=3 pending=0 dropped=0");
  }

  @Test
  void whileTheReceiverFailsSaysEveryFewSecondsWhatIsPendingAndWhy() {
    server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(503)));

    int status = run("--destination-url", url(), "--allow-local-network", "--events", "2");

    assertThat(status).isEqualTo(1);
    assertThat(outLines()).anySatisfy(l -> assertThat(l)
        .startsWith("waiting for demo-http: pending=2 delivered=0 failed=0; failed attempts in a row: ")
        .endsWith(", last error: destination host 127.0.0.1:" + server.port() + " answered HTTP 503"));
    // In memory the demo gives an event 10 s of retries; then it is a dead letter, counted as failed.
    assertThat(outLines()).last().isEqualTo("delivered=0 failed=2 pending=0 dropped=0");
  }

  @Test
  void refusesALoopbackUrlWithoutAllowLocalNetworkBeforeSendingAnything() {
    int status = run("--destination-url", url());

    assertThat(status).isEqualTo(2);
    assertThat(errLines()).singleElement().asString().startsWith("error: ").contains("127.0.0.1");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void refusesInvalidOptionsWithOneLineNamingTheProblem() {
    assertRefused("destinationUrl", "--destination-url", "ftp://example.com/x");
    assertRefused("verificationToken", "--destination-url", url(), "--allow-local-network",
        "--verification-token", "short");
    assertRefused("key", "--destination-url", url(), "--allow-local-network",
        "--header", "x-gitlab-event-streaming-token=forged");
    String[] tooMany = new String[2 + 3 + 42];
    tooMany[0] = "--destination-url";
    tooMany[1] = url();
    tooMany[2] = "--allow-local-network";
    tooMany[3] = "--events";
    tooMany[4] = "1";
    for (int i = 0; i < 21; i++) {
      tooMany[5 + 2 * i] = "--header";
      tooMany[6 + 2 * i] = "X-H" + i + "=v";
    }
    assertRefused("headers", tooMany);
    assertRefused("eventTypeFilter", "--destination-url", url(), "--allow-local-network",
        "--event-type-filter", "no_such_event_type");
    assertRefused("--events", "--events", "lots");
    assertRefused("--postgres-url must be a JDBC URL", "--postgres-url", "postgres://db/app");
    assertRefused("--postgres-user needs --postgres-url", "--postgres-user", "app");
    assertRefused("exclude each other", "--postgres-url", "jdbc:postgresql://db/app", "--data-dir", "/tmp/x");
    assertRefused("--drain needs --data-dir or --postgres-url", "--drain");
    assertRefused("--postgres-url needs --secret-keys", "--postgres-url", "jdbc:postgresql://db/app");
    assertRefused("--secret-keys: keys[0] must hold a key of 32 bytes", "--postgres-url", "jdbc:postgresql://db/app",
        "--secret-keys", "demo:AAECAwQFBgcICQoLDA0ODw==");
    assertRefused("--secret-keys needs --postgres-url", "--secret-keys", "demo:AAECAwQFBgcICQoLDA0ODw==");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void anUnreachableDatabaseIsReportedWithoutItsPassword() {
    // Port 1 on loopback: refused at once. The password, in the URL and as an option, must not be echoed.
    int status = run("--postgres-url", "jdbc:postgresql://127.0.0.1:1/app?password=in-url-secret&connectTimeout=2",
        "--postgres-user", "app", "--postgres-password", "option-secret",
        "--secret-keys", "demo:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "--destination-url", url(),
        "--allow-local-network");

    assertThat(status).isEqualTo(2);
    assertThat(errLines()).singleElement().asString().startsWith("error: cannot open the durable store")
        .contains("jdbc:postgresql://127.0.0.1:1/app").doesNotContain("in-url-secret").doesNotContain("option-secret");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  private void assertRefused(String mention, String... args) {
    out.reset();
    err.reset();
    int status = run(args);
    assertThat(status).as("exit status for %s", List.of(args)).isEqualTo(2);
    assertThat(errLines()).singleElement().asString().startsWith("error: ").contains(mention);
    assertThat(outLines()).noneMatch(l -> l.startsWith("delivered="));
  }

  @Test
  void alsoStreamsToTheCustomSinkInTheGroupsFolderOfTheGivenRoot(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("acme").resolve("events.jsonl");

    int status = run("--jsonl-root", dir.toString(), "--jsonl-file", "events.jsonl", "--events", "5");

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(outLines()).contains("jsonl-file appends to " + file.toAbsolutePath());
    // No --jsonl-signing-key: the demo generated one and printed it once.
    List<String> keyLines = outLines().stream().filter(l -> l.startsWith(SIGNING_KEY_LINE)).toList();
    assertThat(keyLines).singleElement().asString().matches(SIGNING_KEY_LINE + "[A-Za-z0-9]{32}");
    String key = keyLines.get(0).substring(SIGNING_KEY_LINE.length());
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(5);
    for (String line : lines) {
      JsonNode json = new ObjectMapper().readTree(line);
      assertThat(json.get("event").get("id").asText()).isNotBlank();
      // The event is written as encoded, so the signature covers the line's bytes after "event":.
      String event = line.substring(line.indexOf(EVENT_FIELD) + EVENT_FIELD.length(), line.length() - 1);
      assertThat(json.get("signature").asText()).isEqualTo("sha256=" + hmacSha256Hex(key, event));
    }
    assertThat(outLines()).endsWith("destination demo-http: delivered=5 failed=0 pending=0 dropped=0",
        "destination demo-jsonl-file: delivered=5 failed=0 pending=0 dropped=0",
        "delivered=10 failed=0 pending=0 dropped=0");
  }

  @Test
  void refusesAJsonlFileOutsideTheGroupsFolderOfTheRootBeforeWritingAnything(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("root"));
    Path outside = Files.createDirectory(dir.resolve("outside"));

    assertRefused("path must be relative to the folder of group 'acme'", "--jsonl-root", root.toString(),
        "--jsonl-file", outside.resolve("events.jsonl").toString());
    assertRefused("path must not contain '..' segments", "--jsonl-root", root.toString(),
        "--jsonl-file", "../outside/events.jsonl");
    assertRefused("--jsonl-root must be an existing folder", "--jsonl-root", dir.resolve("missing").toString(),
        "--jsonl-file", "events.jsonl");
    assertRefused("--jsonl-root needs --jsonl-file", "--jsonl-root", root.toString());
    assertThat(outside).isEmptyDirectory();
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void refusesNumericSpellingsOfAnAddressBeforeSendingAnything() {
    for (String url : List.of("http://0x7f000001:" + server.port() + "/hook", "http://2130706433:" + server.port() + "/hook",
        "http://0177.0.0.1:" + server.port() + "/hook")) {
      // Refused however the host is written, whether or not local destinations are allowed.
      assertRefused("destinationUrl", "--destination-url", url, "--allow-local-network");
      assertRefused("destinationUrl", "--destination-url", url);
    }
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void refusesHeaderValuesAndContentTypesThatCannotBeSentWithoutEchoingThem() {
    for (String value : List.of("\u20acuro", "a\u0001b", "ok\r\nX-Forged: 1", "line\nbreak")) {
      assertRefused("headers", "--destination-url", url(), "--allow-local-network", "--header", "X-Team=" + value);
      assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain(value).doesNotContain("X-Forged");
    }
    assertRefused("contentType", "--destination-url", url(), "--allow-local-network", "--content-type",
        "application/j\u00f6son");
    assertRefused("contentType", "--destination-url", url(), "--allow-local-network", "--content-type",
        "application/json\r\nX-Forged: 1");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void refusesPlainHttpToAPublicHostNamingTheDemoOptionThatAllowsIt() {
    assertRefused("destinationUrl must use https", "--destination-url", "http://receiver.example/hook");
    assertThat(errLines()).singleElement().asString().contains("(demo option: --allow-plain-http;")
        .doesNotContain("(demo option: --allow-local-network)");
    assertThat(outLines()).noneMatch(l -> l.startsWith("streaming "));
  }

  @Test
  void allowPlainHttpLiftsOnlyThePlainHttpRule() {
    // Loopback is still refused without --allow-local-network, but no longer for plain http.
    assertRefused("127.0.0.1", "--destination-url", url(), "--allow-plain-http");
    assertThat(errLines()).singleElement().asString().doesNotContain("must use https")
        .endsWith("(demo option: --allow-local-network)");
    assertRefused("must use https", "--destination-url", url());
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void neverEchoesControlCharactersOfWhatWasTyped() {
    List<String[]> commands = List.of(
        new String[] {"--events", "1\nforged line"},
        new String[] {"--no-such-option\r\nerror: forged"},
        new String[] {"--header", "X-Bad\nName"},
        new String[] {"--header", "X-Bad\nName=value", "--destination-url", url(), "--allow-local-network"},
        new String[] {"--event-type-filter", "project_created\nforged", "--destination-url", url(),
            "--allow-local-network"},
        new String[] {"--postgres-url", "postgres://db\n/app"},
        new String[] {"--jsonl-file", "events\u0007.jsonl\n", "--jsonl-root", "/no/such\nfolder"},
        new String[] {"--destination-url", "https://receiver.example/\u2028hook"});
    for (String[] command : commands) {
      out.reset();
      err.reset();
      assertThat(run(command)).as("exit status for %s", List.of(command)).isEqualTo(2);
      String text = err.toString(StandardCharsets.UTF_8);
      assertThat(text).as("error for %s", List.of(command)).startsWith("error: ").endsWith(System.lineSeparator());
      String line = text.substring(0, text.length() - System.lineSeparator().length());
      assertThat(line.chars()).as("error for %s", List.of(command))
          .noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029);
    }
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  private static String hmacSha256Hex(String key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }
}
