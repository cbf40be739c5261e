package io.auditstream.examples.secrets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.auditstream.api.Actor;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfigBuilder;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.core.AuditEventJson;
import io.auditstream.core.AuditStreamer;
import io.auditstream.core.DestinationService;
import io.auditstream.core.RetryPolicy;
import io.auditstream.sink.s3.S3SinkProvider;
import io.auditstream.jdbc.EmbeddedStore;
import io.auditstream.sink.gcp.FakeCloudLogging;
import io.auditstream.sink.gcp.FakeTokenEndpoint;
import io.auditstream.sink.gcp.GcpLoggingSinkProvider;
import io.auditstream.sink.gcp.ServiceAccountKeys;
import io.auditstream.sink.gcp.TestTls;
import io.auditstream.sink.http.HttpSinkProvider;
import io.auditstream.sink.http.JdkHttpTransportProvider;
import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;
import io.auditstream.testing.Await;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No secret is ever in a log line, an exception message, a {@code toString}, a status or a listing,
 * whatever the logging configuration: every destination kind streams with every secret set (HTTP on
 * both transports with a verification token, a secret {@code Authorization} header and signing; Cloud
 * Logging through its token exchange, over TLS; S3 with a secret access key), succeeding and failing
 * (401, 500, a closed port, a refused key, a refused signature), while every logger is at its finest:
 * the library's, Apache HttpClient 5's (headers and wire), the AWS SDK's, and the Google HTTP client's
 * and gRPC's through {@code java.util.logging}. Then all the output and every text the library showed
 * is searched for each secret in every encoded form.
 *
 * <p>Runs in a JVM of its own (the {@code trace-logging} execution of this module's build), where
 * SLF4J's default level is TRACE; the test's own receivers (WireMock, S3Proxy, the gRPC server, the
 * token endpoint) stay at INFO, as what a receiver logs is its own business.
 */
@Tag("trace-logging")
class SecretsNeverLoggedTest {
  private static final Actor ALICE = Actor.of("alice");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String CLIENT_EMAIL = "audit-writer@leak-test-project.iam.gserviceaccount.com";
  private static final String PROJECT = "leak-test-project";
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SCOPE = "https://www.googleapis.com/auth/logging.write";
  /** JUL loggers of the test's receivers: the JDK's HTTP server (token endpoint) and gRPC's server side. */
  private static final List<String> RECEIVER_JUL_LOGGERS = List.of("com.sun.net.httpserver",
      "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler", "io.grpc.internal.ServerImpl",
      "io.grpc.internal.ServerCallImpl");

  @TempDir
  Path dataDir;

  private final SecretScan secrets = new SecretScan();
  /** What the library showed other than its log output: toString, statuses, listings, exception texts. */
  private final List<String> shown = new ArrayList<>();

  @Test
  void noSecretReachesAnyLoggerMessageStatusOrListingOfAnyDestinationKind() throws Exception {
    assertThat(LoggerFactory.getLogger("org.apache.hc.client5.http.headers").isTraceEnabled())
        .as("SLF4J at TRACE: this test runs in the trace-logging execution of the examples build").isTrue();
    String log;
    try (LogCapture capture = new LogCapture(RECEIVER_JUL_LOGGERS)) {
      streamEverywhere();
      log = capture.text();
    }

    // Kept for whoever reads a failure: what every logger printed.
    Files.writeString(Path.of("target", "secrets-never-logged-trace.log"), log);

    // The loggers that print requests were on, and the test saw their lines.
    assertThat(log)
        .contains("DEBUG org.apache.hc.client5.http.headers - ")
        .contains(HttpHeader.TOKEN_HEADER + ": ****")
        .contains("Set the java.util.logging logger com.google.api.client.http.HttpTransport to INFO")
        .contains("JUL FINEST io.grpc.ChannelLogger")
        .contains("DEBUG software.amazon.awssdk.request")
        .contains("DEBUG io.auditstream.");
    assertThat(secrets.size()).isGreaterThan(100);
    List<String> leaks = new ArrayList<>(secrets.findIn("the log output", log));
    for (String text : shown) {
      leaks.addAll(secrets.findIn("a text the library showed", text));
    }
    assertThat(leaks).as("secrets found in %d characters of log output and %d shown texts", log.length(), shown.size())
        .isEmpty();
  }

  private void streamEverywhere() throws Exception {
    WireMockServer receiver = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    receiver.start();
    ServiceAccountKeys keys = ServiceAccountKeys.generate();
    ServiceAccountKeys wrongKeys = ServiceAccountKeys.generate();
    addPrivateKey("private key", keys);
    addPrivateKey("refused private key", wrongKeys);
    FakeTokenEndpoint tokens = FakeTokenEndpoint.start(keys.publicKey(), CLIENT_EMAIL, SCOPE);
    FakeCloudLogging cloudLogging = FakeCloudLogging.tls(TestTls.get().serverCredentials(), tokens::issued);
    String s3Secret = randomText(40);
    String wrongS3Secret = randomText(40);
    secrets.add("S3 secret access key", s3Secret).add("refused S3 secret access key", wrongS3Secret);
    BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("local", "local")
        .build(BlobStoreContext.class);
    BlobStore store = blobs.getBlobStore();
    S3Proxy s3 = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY_ID, s3Secret).build();
    s3.start();
    Await.untilValue(WAIT, s3::getState, "STARTED"::equals, "S3Proxy to start");
    int closedPort = closedPort();
    // One streamer on the embedded durable store (destination secrets encrypted with its generated key).
    EmbeddedStore embedded = EmbeddedStore.open(dataDir, AuditEventJson::decode);
    String keyLine = Files.readString(dataDir.resolve(EmbeddedStore.KEY_FILE)).strip();
    String storeKey = keyLine.substring(keyLine.indexOf(':') + 1);
    secrets.add("embedded store's secrets key", storeKey).addBytes("embedded store's secrets key",
        Base64.getDecoder().decode(storeKey));
    AuditStreamer jdk = streamer(new HttpSinkProvider(new JdkHttpTransportProvider()), embedded);
    AuditStreamer apache = streamer(new HttpSinkProvider(new ApacheHttpTransportProvider()), null);
    try {
      receiver.stubFor(post(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200)));
      receiver.stubFor(post(urlEqualTo("/unauthorized")).willReturn(aResponse().withStatus(401)
          .withBody("{\"error\":\"bad token\"}")));
      receiver.stubFor(post(urlEqualTo("/broken")).willReturn(aResponse().withStatus(500)
          .withBody("{\"error\":\"down\"}")));
      String base = "http://127.0.0.1:" + receiver.port();
      List<String> urls = List.of(base + "/ok", base + "/unauthorized", base + "/broken",
          "http://127.0.0.1:" + closedPort + "/hook");
      List<Destination> created = new ArrayList<>();
      // The destinations every delivery to which fails: their failures are logged and kept as their last error.
      List<Destination> failing = new ArrayList<>();
      for (String url : urls) {
        for (AuditStreamer streamer : List.of(jdk, apache)) {
          Destination d = httpDestination(streamer, streamer == jdk ? "acme" : "globex", url);
          created.add(d);
          if (!url.endsWith("/ok")) {
            failing.add(d);
          }
        }
      }

      created.add(gcpDestination(jdk, keys, "good", cloudLogging, tokens));
      failing.add(gcpDestination(jdk, wrongKeys, "refused-key", cloudLogging, tokens));
      // The first write of whichever destination comes first is refused.
      created.add(gcpDestination(jdk, keys, "denied", cloudLogging, tokens));
      failing.add(create(jdk, GcpLoggingDestinationConfig.builder().googleProjectIdName(PROJECT)
          .clientEmail(CLIENT_EMAIL).privateKey(keys.privateKeyPem()).logIdName("token-endpoint-down")
          .endpoint(cloudLogging.endpoint()).tokenServerUri("http://127.0.0.1:" + closedPort + "/token"), "cloud down"));

      store.createContainerInLocation(null, "audit-good");
      store.createContainerInLocation(null, "audit-refused");
      created.add(s3Destination(jdk, "audit-good", s3Secret, "http://127.0.0.1:" + s3.getPort()));
      failing.add(s3Destination(jdk, "audit-refused", wrongS3Secret, "http://127.0.0.1:" + s3.getPort()));
      failing.add(s3Destination(jdk, "audit-down", s3Secret, "http://127.0.0.1:" + closedPort));
      failing.stream().filter(d -> !created.contains(d)).forEach(created::add);

      cloudLogging.failNext(Status.Code.PERMISSION_DENIED, 1);
      for (int i = 0; i < 3; i++) {
        jdk.stream(event("acme/api", i));
        apache.stream(event("globex/api", i));
      }
      for (AuditStreamer streamer : List.of(jdk, apache)) {
        assertThat(streamer.flush(WAIT)).as("every delivery ended within %s", WAIT).isTrue();
      }
      for (Destination d : created) {
        AuditStreamer streamer = d.groupPath().equals("acme") ? jdk : apache;
        streamer.destinations().sendTestEvent(ALICE, d.id());
      }
      for (AuditStreamer streamer : List.of(jdk, apache)) {
        assertThat(streamer.flush(WAIT)).isTrue();
      }

      // Each path was taken: the good destinations delivered, the others failed as planned.
      assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/ok"))))
          .anySatisfy(r -> assertThat(r.getBodyAsString()).contains("\"entity_path\":\"acme"))
          .anySatisfy(r -> assertThat(r.getBodyAsString()).contains("\"entity_path\":\"globex"));
      assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/unauthorized")))).isNotEmpty();
      assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/broken")))).isNotEmpty();
      assertThat(cloudLogging.entries()).isNotEmpty();
      assertThat(tokens.refusals()).isNotEmpty();
      assertThat(store.list("audit-good", ListContainerOptions.Builder.recursive())).isNotEmpty();
      assertThat(store.list("audit-refused", ListContainerOptions.Builder.recursive())).isEmpty();
      for (Destination d : failing) {
        AuditStreamer streamer = d.groupPath().equals("acme") ? jdk : apache;
        assertThat(streamer.destinations().status(ALICE, d.id()).lastError()).as("last error of %s", d.name())
            .isPresent();
      }
      for (Destination d : created) {
        AuditStreamer streamer = d.groupPath().equals("acme") ? jdk : apache;
        recordWhatIsShown(streamer, d);
      }
      recordRefusedInput(jdk, created.get(0));
    } finally {
      jdk.close();
      apache.close();
      embedded.close();
      receiver.stop();
      cloudLogging.close();
      tokens.close();
      s3.stop();
      blobs.close();
    }
    // Known only once used: the credentials derived from the private key.
    assertThat(tokens.assertions()).isNotEmpty();
    assertThat(tokens.accessTokens()).isNotEmpty();
    for (String assertion : tokens.assertions()) {
      secrets.add("signed assertion", assertion);
      secrets.add("signed assertion's signature", assertion.substring(assertion.lastIndexOf('.') + 1));
    }
    for (String token : tokens.accessTokens()) {
      secrets.add("issued access token", token);
    }
  }

  private static AuditEvent event(String path, int i) {
    return AuditEvent.builder().eventType("project_created").author(1L, "Alice").entity(EntityType.PROJECT, 5L, path)
        .customMessage("event " + i).build();
  }

  /** A streamer with {@code http}; with {@code store}, also Cloud Logging and S3, and that durable store. */
  private static AuditStreamer streamer(HttpSinkProvider http, EmbeddedStore store) {
    AuditStreamer.Builder b = AuditStreamer.builder()
        .accessPolicy((actor, group) -> actor.equals(ALICE))
        .allowLocalNetwork(true)
        .trustedCertificates(List.of(TestTls.get().certificate()))
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(RetryPolicy.builder().schedule(Duration.ofMillis(20), Duration.ofMillis(50))
            .maxAge(Duration.ofSeconds(3)).build())
        .sinkProviders(List.of())
        .addSinkProvider(http);
    if (store != null) {
      b.addSinkProvider(new GcpLoggingSinkProvider()).addSinkProvider(new S3SinkProvider())
          .destinationStore(store.destinations()).deliveryQueue(store.outbox());
    }
    return b.build();
  }

  /** An HTTP destination with every secret it can have: its token, an Authorization header and a signing secret. */
  private Destination httpDestination(AuditStreamer streamer, String group, String url) {
    String token = randomText(24);
    String authorization = "Bearer sk_live/" + randomText(32) + "+x=";
    Secret signing = DestinationService.newSigningSecret();
    String key = signing.reveal().substring(signing.reveal().indexOf('_') + 1);
    secrets.add("verification token", token).add("Authorization header value", authorization)
        .add("signing secret", signing.reveal()).add("signing secret's key", key)
        .addBytes("signing secret's HMAC key", Base64.getDecoder().decode(key));
    Destination d = streamer.destinations().create(ALICE, group, DestinationDraft.builder(HttpDestinationConfig.builder()
            .destinationUrl(url).contentType("application/json").header("Authorization", authorization))
        .name("http " + url.substring(url.lastIndexOf('/') + 1)).verificationToken(token).build());
    streamer.destinations().enableSigning(ALICE, d.id(), signing);
    return d;
  }

  private static Destination gcpDestination(AuditStreamer streamer, ServiceAccountKeys keys, String logId,
      FakeCloudLogging server, FakeTokenEndpoint tokens) {
    return create(streamer, GcpLoggingDestinationConfig.builder().googleProjectIdName(PROJECT)
        .clientEmail(CLIENT_EMAIL).privateKey(keys.privateKeyPem()).logIdName(logId).endpoint(server.endpoint())
        .tokenServerUri(tokens.uri().toString()), "cloud " + logId);
  }

  private static Destination s3Destination(AuditStreamer streamer, String bucket, String secret, String endpoint) {
    return create(streamer, S3DestinationConfig.builder().accessKeyXid(KEY_ID).secretAccessKey(secret)
        .bucketName(bucket).awsRegion("us-east-1").endpoint(endpoint).pathStyleAccess(true), "s3 " + bucket);
  }

  private static Destination create(AuditStreamer streamer, DestinationConfigBuilder<?> config, String name) {
    return streamer.destinations().create(ALICE, "acme", DestinationDraft.builder(config).name(name).build());
  }

  /** Every text an Owner or an operator can read about {@code d}. */
  private void recordWhatIsShown(AuditStreamer streamer, Destination d) {
    DestinationService service = streamer.destinations();
    shown.add(d.toString());
    shown.add(d.config().toString());
    shown.add(d.signing().toString());
    shown.add(service.get(ALICE, d.id()).toString());
    shown.add(service.list(ALICE, d.groupPath()).toString());
    shown.add(service.status(ALICE, d.id()).toString());
    service.status(ALICE, d.id()).lastError().ifPresent(shown::add);
    shown.add(service.deadLetters(ALICE, d.id(), 100).toString());
    shown.add(streamer.health().toString());
    shown.add(streamer.stats().toString());
  }

  /** Refused input: the messages name the field and the rule, never the value. */
  private void recordRefusedInput(AuditStreamer streamer, Destination http) {
    String badValue = "Bearer " + randomText(30) + "\r\nX-Injected: 1";
    String shortToken = randomText(12);
    secrets.add("refused header value", badValue).add("refused short token", shortToken.repeat(2));
    List<Runnable> refused = List.of(
        () -> HttpHeader.of("Authorization", badValue),
        () -> streamer.destinations().create(ALICE, "acme", DestinationDraft.http("http://127.0.0.1:1/short")
            .verificationToken(shortToken.repeat(2) + "x").build()),
        () -> streamer.destinations().enableSigning(ALICE, http.id(), Secret.of("whsec_" + shortToken.repeat(2))));
    for (Runnable r : refused) {
      try {
        r.run();
        throw new AssertionError("refused input was accepted");
      } catch (ValidationException e) {
        shown.add(e.toString());
        shown.add(stackTrace(e));
      }
    }
  }

  private void addPrivateKey(String label, ServiceAccountKeys keys) throws Exception {
    String pem = keys.privateKeyPem();
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replace("\n", "");
    byte[] der = Base64.getDecoder().decode(body);
    secrets.add(label + " PEM", pem);
    secrets.addBytes(label, der);
    for (String line : pem.split("\n")) {
      if (!line.startsWith("-----") && line.length() >= 64) {
        secrets.add(label + " PEM line", line);
      }
    }
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    for (var part : Map.of("private exponent", key.getPrivateExponent(), "prime p", key.getPrimeP(),
        "prime q", key.getPrimeQ()).entrySet()) {
      secrets.add(label + " " + part.getKey() + " (decimal)", part.getValue().toString());
      secrets.add(label + " " + part.getKey() + " (hex)", part.getValue().toString(16));
    }
  }

  private static String randomText(int length) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
    }
    return b.toString();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
