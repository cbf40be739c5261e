package io.auditstream.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.core.AuditStreamer;
import io.auditstream.spring.testapp.Receiver;
import io.auditstream.spring.testapp.TestHost;
import io.auditstream.spring.web.ApiClient.Answer;
import io.auditstream.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The management REST API through Spring's web layer, on the embedded store, delivering to a real receiver. */
@SpringBootTest(classes = TestHost.class, properties = {"audit-stream.api.enabled=true",
    "audit-stream.allow-local-network=true", "audit-stream.allow-plain-http=true",
    "audit-stream.retry.schedule=50ms", "audit-stream.retry.jitter=false",
    "audit-stream.max-destinations-per-kind=50"})
@AutoConfigureMockMvc
class DestinationsApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOKEN = "a-verification-tok3n";

  @TempDir
  static Path data;

  private static final Receiver receiver = new Receiver();

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("audit-stream.store.data-dir", () -> data.toString());
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  @Autowired
  MockMvc mvc;

  @Autowired
  AuditStreamer streamer;

  private ApiClient api;
  private int created;

  @BeforeEach
  void client() {
    api = new ApiClient(mvc);
    receiver.answer(200);
  }

  /** Creates an HTTP destination of acme as alice; its id. */
  private String createHttp(String name, String path) {
    Answer a = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("name", name, "category", "http",
        "secretToken", TOKEN.substring(0, 16) + (++created) + "xx", "config", Map.of("url", receiver.url(path),
            "headers", Map.of("X-Tenant", Map.of("value", "acme", "active", true)))));
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return (String) a.map().get("id");
  }

  private void streamEvents(int count) {
    for (int i = 0; i < count; i++) {
      assertThat(streamer.stream(AuditEvent.builder().eventType("project_created")
          .entity(EntityType.PROJECT, (long) i, "acme/web").build())).isTrue();
    }
  }

  @Test
  void anOwnerCreatesAnHttpDestinationAndGetsItBackWithoutItsToken() {
    Answer created = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("name", "siem",
        "category", "http", "secretToken", TOKEN, "config", Map.of("url", receiver.url("/siem"), "contentType",
            "application/json", "headers", Map.of("X-Tenant", Map.of("value", "acme", "active", true)))));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Map<String, Object> d = created.map();
    assertThat(created.location()).isEqualTo("/audit-stream/destinations/" + d.get("id"));
    assertThat(d).containsEntry("name", "siem").containsEntry("category", "http").containsEntry("group", "acme")
        .containsEntry("active", true).doesNotContainKey("secretToken");
    assertThat(d.get("config")).isEqualTo(Map.of("url", receiver.url("/siem"), "contentType", "application/json",
        "headers", Map.of("X-Tenant", Map.of("value", "acme", "active", true))));
    assertThat(created.body()).doesNotContain(TOKEN);

    Answer list = api.get("/audit-stream/groups/acme/destinations", "alice");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.list()).anySatisfy(x -> assertThat(((Map<?, ?>) x).get("id")).isEqualTo(d.get("id")));
    assertThat(list.body()).doesNotContain(TOKEN);
    Answer one = api.get("/audit-stream/destinations/" + d.get("id"), "alice");
    assertThat(one.map()).isEqualTo(d);
    Answer token = api.get("/audit-stream/destinations/" + d.get("id") + "/verification-token", "alice");
    assertThat(token.map()).isEqualTo(Map.of("verificationToken", TOKEN));
  }

  @Test
  void streamedEventsReachTheReceiverAndTheStatusCountsThem() {
    String id = createHttp("counted", "/counted");
    int before = receiver.bodies().size();

    streamEvents(5);

    // A delivery is counted before it leaves the store's queue: both are waited for.
    assertThat(Receiver.eventually(WAIT, () -> {
      Map<String, Object> s = api.get("/audit-stream/destinations/" + id + "/status", "alice").map();
      return ((Number) s.get("delivered")).intValue() == 5 && ((Number) s.get("pending")).intValue() == 0;
    })).isTrue();
    Map<String, Object> status = api.get("/audit-stream/destinations/" + id + "/status", "alice").map();
    assertThat(status).containsEntry("pending", 0).containsEntry("deadLetters", 0).containsEntry("dropped", 0)
        .containsEntry("consecutiveFailures", 0).containsEntry("lastError", null).containsKey("lastSuccessAt");
    assertThat(receiver.bodies().size() - before).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aBadFieldIsA400ProblemNamingTheFieldAndTheRule() {
    Answer a = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("category", "http",
        "config", Map.of("url", "ftp://example.com/x"), "secretToken", "short"));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.contentType()).startsWith("application/problem+json");
    Map<String, Object> p = a.map();
    assertThat(p).containsEntry("status", 400).containsEntry("title", "Invalid request");
    @SuppressWarnings("unchecked")
    List<Map<String, String>> errors = (List<Map<String, String>>) p.get("errors");
    assertThat(errors).extracting(e -> e.get("field")).contains("config.url");
    assertThat(errors).allSatisfy(e -> assertThat(e.get("message")).isNotBlank());
    assertThat(a.body()).doesNotContain("short\"");
  }

  @Test
  void anUnknownCategoryAndMalformedJsonAre400s() {
    Answer unknown = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("category", "carrier-pigeon",
        "config", Map.of()));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"field\":\"category\"");

    Answer malformed = api.post("/audit-stream/groups/acme/destinations", "alice", "{\"category\": \"http\", \"secretToken\": \"hunter2hunter2hunter2\"");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");
    assertThat(malformed.body()).doesNotContain("hunter2");
  }

  @Test
  void aNullEventTypeIsA400NamingItsPlaceNotAServerError() {
    Answer created = api.post("/audit-stream/groups/acme/destinations", "alice", "{\"category\": \"http\","
        + " \"config\": {\"url\": \"" + receiver.url("/nulls") + "\"}, \"eventTypeFilters\": [\"a\", null]}");
    assertThat(created.status()).as(created.body()).isEqualTo(400);
    assertThat(created.body()).contains("\"field\":\"eventTypeFilters[1]\"");

    String base = "/audit-stream/destinations/" + createHttp("nulls", "/nulls");
    Answer put = api.put(base + "/event-type-filters", "alice", "[null]");
    assertThat(put.status()).as(put.body()).isEqualTo(400);
    assertThat(put.body()).contains("\"field\":\"body[0]\"");
    Answer patched = api.patch(base, "alice", "{\"eventTypeFilters\": [null]}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(400);
    assertThat(patched.body()).contains("\"field\":\"eventTypeFilters[0]\"");
  }

  @Test
  void aCallerWhoIsNotAnOwnerGets403AndAForeignIdLooksLikeAMissingOne() {
    String id = createHttp("private", "/private");

    Answer list = api.get("/audit-stream/groups/acme/destinations", "bob");
    assertThat(list.status()).isEqualTo(403);
    assertThat(list.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/audit-stream/groups/acme/destinations", null).status()).isEqualTo(403);

    Answer foreign = api.get("/audit-stream/destinations/" + id, "carol");
    Answer missing = api.get("/audit-stream/destinations/no-such-destination", "carol");
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(foreign.body().replace(id, "ID")).isEqualTo(missing.body().replace("no-such-destination", "ID"));
    assertThat(api.delete("/audit-stream/destinations/" + id, "carol").status()).isEqualTo(404);
    assertThat(api.get("/audit-stream/destinations/" + id, "alice").status()).isEqualTo(200);
  }

  @Test
  void aTakenNameIsA409Conflict() {
    createHttp("taken", "/taken-1");

    Answer again = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("name", "taken",
        "category", "http", "config", Map.of("url", receiver.url("/taken-2"))));

    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.body()).contains("\"field\":\"name\"");
  }

  @Test
  void patchingActiveFalsePausesKeepingTheBacklogAndTrueResumesAndDeliversIt() {
    String id = createHttp("pausable", "/pausable");

    Map<String, Object> paused = api.patch("/audit-stream/destinations/" + id, "alice", Map.of("active", false)).map();
    assertThat(paused).containsEntry("active", false).containsEntry("paused", true);
    streamEvents(3);
    assertThat(Receiver.eventually(Duration.ofSeconds(5), () -> ((Number) api.get("/audit-stream/destinations/"
        + id + "/status", "alice").map().get("pending")).intValue() == 3)).isTrue();

    Map<String, Object> resumed = api.patch("/audit-stream/destinations/" + id, "alice", Map.of("active", true)).map();
    assertThat(resumed).containsEntry("active", true).containsEntry("paused", false);
    assertThat(Receiver.eventually(WAIT, () -> ((Number) api.get("/audit-stream/destinations/" + id + "/status",
        "alice").map().get("delivered")).intValue() == 3)).isTrue();
  }

  @Test
  void patchRenamesAndMergesConfigButNeverChangesAnHttpToken() {
    String id = createHttp("before", "/before");

    Answer renamed = api.patch("/audit-stream/destinations/" + id, "alice", Map.of("name", "after",
        "config", Map.of("contentType", "application/json")));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.map()).containsEntry("name", "after");
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) renamed.map().get("config");
    assertThat(config).containsEntry("url", receiver.url("/before")).containsEntry("contentType", "application/json");

    Answer token = api.patch("/audit-stream/destinations/" + id, "alice", Map.of("secretToken", "another-token-of-20"));
    assertThat(token.status()).isEqualTo(400);
    assertThat(token.body()).contains("\"field\":\"secretToken\"").doesNotContain("another-token-of-20");
  }

  @Test
  void filtersAndHeadersAreManagedAsSubResources() {
    String id = createHttp("filtered", "/filtered");
    String base = "/audit-stream/destinations/" + id;

    assertThat(api.put(base + "/event-type-filters", "alice", List.of("project_created", "member_created")).list())
        .containsExactlyInAnyOrder("project_created", "member_created");
    assertThat(api.get(base + "/event-type-filters", "alice").list()).hasSize(2);
    assertThat(api.delete(base + "/event-type-filters", "alice").status()).isEqualTo(204);
    assertThat(api.get(base + "/event-type-filters", "alice").list()).isEmpty();

    assertThat(api.put(base + "/namespace-filters", "alice", List.of(Map.of("namespace", "acme/web", "type",
        "project"))).list()).containsExactly(Map.of("namespace", "acme/web", "type", "project"));
    Answer outside = api.put(base + "/namespace-filters", "alice", List.of(Map.of("namespace", "globex/app", "type",
        "project")));
    assertThat(outside.status()).isEqualTo(400);
    assertThat(api.delete(base + "/namespace-filters", "alice").status()).isEqualTo(204);

    assertThat(api.put(base + "/headers/X-Env", "alice", Map.of("value", "prod", "active", false)).map())
        .containsEntry("X-Env", Map.of("value", "prod", "active", false))
        .containsEntry("X-Tenant", Map.of("value", "acme", "active", true));
    Answer injected = api.put(base + "/headers/X-Bad", "alice", Map.of("value", "a\r\nX-Evil: 1"));
    assertThat(injected.status()).isEqualTo(400);
    assertThat(injected.body()).contains("config.headers.value");
    assertThat(api.delete(base + "/headers/X-Env", "alice").status()).isEqualTo(204);
    assertThat(api.get(base + "/headers", "alice").map()).containsOnlyKeys("X-Tenant");
    assertThat(api.delete(base + "/headers/X-Env", "alice").status()).isEqualTo(404);
  }

  @Test
  void signingIsSwitchedOnRotatedAndOffAndAMadeSecretIsAnsweredOnceAndSigns() throws Exception {
    String id = createHttp("signed", "/signed");
    String base = "/audit-stream/destinations/" + id + "/signing";
    assertThat(api.get(base, "alice").map()).isEqualTo(Map.of("enabled", false, "rotating", false));

    Answer enabled = api.post(base, "alice", null);
    assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
    String secret = (String) enabled.map().get("signingSecret");
    assertThat(secret).startsWith("whsec_");
    assertThat(api.get(base, "alice").body()).doesNotContain(secret.substring(6));
    assertThat(api.get("/audit-stream/destinations/" + id, "alice").body()).doesNotContain(secret.substring(6));

    int before = receiver.received().size();
    streamEvents(1);
    assertThat(Receiver.eventually(WAIT, () -> receiver.received().stream().skip(before)
        .anyMatch(r -> r.headers().containsKey("webhook-signature")))).isTrue();
    Receiver.Received signed = receiver.received().stream().skip(before)
        .filter(r -> r.headers().containsKey("webhook-signature")).findFirst().orElseThrow();
    WebhookVerifier.builder().secret(secret).build()
        .verify(signed.headers()::get, signed.body().getBytes(StandardCharsets.UTF_8));

    String next = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    Answer rotating = api.post(base + "/rotation", "alice", Map.of("signingSecret", next));
    assertThat(rotating.map()).isEqualTo(Map.of("enabled", true, "rotating", true));
    assertThat(api.delete(base + "/rotation", "alice").map()).isEqualTo(Map.of("enabled", true, "rotating", false));
    assertThat(api.delete(base, "alice").status()).isEqualTo(204);
    assertThat(api.get(base, "alice").map()).isEqualTo(Map.of("enabled", false, "rotating", false));
  }

  @Test
  void aBadSigningSecretIsA400ThatDoesNotShowItAndAForeignCallerGets404() {
    String id = createHttp("badly-signed", "/badly-signed");
    String base = "/audit-stream/destinations/" + id + "/signing";

    Answer bad = api.post(base, "alice", Map.of("signingSecret", "whsec_not-base64-at-all!!"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("\"field\":\"signingSecret\"").doesNotContain("not-base64-at-all");
    assertThat(api.post(base, "carol", null).status()).isEqualTo(404);
    assertThat(api.get(base, "alice").map()).isEqualTo(Map.of("enabled", false, "rotating", false));
  }

  @Test
  void aTestEventReachesTheReceiver() {
    String id = createHttp("tested", "/tested");

    Answer a = api.post("/audit-stream/destinations/" + id + "/test-event", "alice", null);

    assertThat(a.status()).isEqualTo(202);
    String eventId = (String) a.map().get("eventId");
    assertThat(Receiver.eventually(WAIT, () -> receiver.bodies().stream().anyMatch(b -> b.contains(eventId)))).isTrue();
  }

  @Test
  void deadLettersAreListedAndRedelivered() {
    String id = createHttp("refusing", "/refusing");
    receiver.answer(400);
    streamEvents(2);
    String base = "/audit-stream/destinations/" + id;
    assertThat(Receiver.eventually(WAIT, () -> api.get(base + "/dead-letters", "alice").list().size() == 2)).isTrue();
    List<Object> dead = api.get(base + "/dead-letters", "alice").list();
    assertThat(dead).allSatisfy(x -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> letter = (Map<String, Object>) x;
      assertThat(letter.get("eventType")).isEqualTo("project_created");
      assertThat(letter.keySet()).contains("eventId", "reason", "attempts", "deadAt");
    });

    receiver.answer(200);
    Answer redelivered = api.post(base + "/dead-letters/redeliver", "alice",
        Map.of("eventIds", dead.stream().map(x -> ((Map<?, ?>) x).get("eventId")).toList()));

    assertThat(redelivered.map()).isEqualTo(Map.of("redelivered", 2));
    assertThat(Receiver.eventually(WAIT, () -> ((Number) api.get(base + "/status", "alice").map().get("delivered"))
        .intValue() == 2)).isTrue();
    assertThat(api.get(base + "/dead-letters", "alice").list()).isEmpty();
  }

  @Test
  void deletingADestinationAnswers204AndThenItIsGone() {
    String id = createHttp("deleted", "/deleted");

    assertThat(api.delete("/audit-stream/destinations/" + id, "alice").status()).isEqualTo(204);
    assertThat(api.get("/audit-stream/destinations/" + id, "alice").status()).isEqualTo(404);
  }

  @Test
  void cloudDestinationsTakeTheirCredentialAsAWriteOnlySecretToken() {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    Answer aws = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("name", "archive",
        "category", "aws", "secretToken", secret, "config", Map.of("accessKeyXid", "AKIAIOSFODNN7EXAMPLE",
            "bucketName", "acme-audit", "awsRegion", "eu-west-1")));

    assertThat(aws.status()).as(aws.body()).isEqualTo(201);
    assertThat(aws.map()).containsEntry("category", "aws");
    assertThat(aws.map().get("config")).isEqualTo(Map.of("accessKeyXid", "AKIAIOSFODNN7EXAMPLE", "bucketName",
        "acme-audit", "awsRegion", "eu-west-1"));
    assertThat(aws.body()).doesNotContain(secret);
    String id = (String) aws.map().get("id");
    Answer moved = api.patch("/audit-stream/destinations/" + id, "alice", Map.of("config",
        Map.of("awsRegion", "eu-central-1")));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.body()).contains("eu-central-1").doesNotContain(secret);
  }

  @Test
  void aCategoryWhoseSinkIsNotOnTheClasspathIsA400NamingTheArtifact() {
    Answer gcp = api.post("/audit-stream/groups/acme/destinations", "alice", Map.of("category", "gcp",
        "secretToken", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n", "config",
        Map.of("googleProjectIdName", "acme-audit-1", "clientEmail", "audit@acme-audit-1.iam.gserviceaccount.com")));

    assertThat(gcp.status()).as(gcp.body()).isEqualTo(400);
    assertThat(gcp.body()).contains("\"field\":\"category\"").contains("sink-gcp-logging").doesNotContain("MIIE");
  }
}
