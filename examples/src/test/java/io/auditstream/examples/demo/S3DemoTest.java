package io.auditstream.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo streaming to an S3 bucket of a real S3 API (S3Proxy) on loopback. */
class S3DemoTest {
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String BUCKET = "demo-audit";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private BlobStoreContext blobs;
  private BlobStore store;
  private S3Proxy proxy;

  @BeforeEach
  void startS3() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials("local", "local").build(BlobStoreContext.class);
    store = blobs.getBlobStore();
    store.createContainerInLocation(null, BUCKET);
    proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY_ID, SECRET).build();
    proxy.start();
    Await.untilValue(Duration.ofSeconds(20), proxy::getState, "STARTED"::equals, "S3Proxy to start");
    assertThat(proxy.getState()).isEqualTo("STARTED");
  }

  @AfterEach
  void stopS3() throws Exception {
    proxy.stop();
    blobs.close();
  }

  private String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  private int run(String... args) {
    return DemoApplication.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> s3Args(String... more) {
    List<String> args = new ArrayList<>(List.of("--s3-bucket", BUCKET, "--s3-region", "us-east-1",
        "--s3-access-key-id", KEY_ID, "--s3-secret-access-key", SECRET, "--s3-endpoint", endpoint(), "--s3-path-style"));
    args.addAll(List.of(more));
    return args;
  }

  private List<String> keys() {
    return store.list(BUCKET, ListContainerOptions.Builder.recursive()).stream().map(StorageMetadata::getName).toList();
  }

  @Test
  void writesEverySampleEventAsAJsonObjectToTheBucket() throws Exception {
    int status = run(s3Args("--allow-local-network").toArray(String[]::new));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).first().asString().isEqualTo("streaming 10 events of group acme to s3://" + BUCKET + " at " + endpoint());
    assertThat(lines).last().isEqualTo("delivered=10 failed=0 pending=0 dropped=0");
    List<String> keys = keys();
    assertThat(keys).hasSize(10).allMatch(k -> k.matches("(group|project)/\\d{4}/\\d{2}/[a-z_]+_[^_]+_\\d+\\.json"));
    for (String key : keys) {
      Blob blob = store.getBlob(BUCKET, key);
      assertThat(blob.getMetadata().getContentMetadata().getContentType()).isEqualTo("application/json");
      try (InputStream in = blob.getPayload().openStream()) {
        JsonNode event = JSON.readTree(in);
        assertThat(key).startsWith(event.get("entity_type").asText().toLowerCase() + "/")
            .contains("/" + event.get("event_type").asText() + "_" + event.get("id").asText() + "_");
        assertThat(event.get("entity_path").asText()).startsWith("acme");
      }
    }
    assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
  }

  @Test
  void refusesALoopbackEndpointWithoutAllowLocalNetworkBeforeWritingAnything() {
    int status = run(s3Args().toArray(String[]::new));

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
        .startsWith("error: ").contains("endpoint").contains("127.0.0.1").contains("--allow-local-network");
    assertThat(keys()).isEmpty();
  }

  @Test
  void refusesAPlainHttpEndpointOnAPublicHostNamingTheDemoOptionThatAllowsIt() {
    int status = run("--s3-bucket", BUCKET, "--s3-region", "us-east-1", "--s3-access-key-id", KEY_ID,
        "--s3-secret-access-key", SECRET, "--s3-endpoint", "http://s3.receiver.example", "--s3-path-style");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
        .startsWith("error: endpoint must use https").contains("--allow-plain-http").doesNotContain(SECRET);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void refusesANumericSpellingOfAnEndpointAddress() {
    int status = run("--s3-bucket", BUCKET, "--s3-region", "us-east-1", "--s3-access-key-id", KEY_ID,
        "--s3-secret-access-key", SECRET, "--s3-endpoint", "http://2130706433:" + proxy.getPort(), "--s3-path-style",
        "--allow-local-network");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
        .startsWith("error: endpoint").doesNotContain(SECRET);
    assertThat(keys()).isEmpty();
  }

  @Test
  void refusesAnInvalidBucketNameInOneLineWithoutTheSecret() {
    int status = run("--s3-bucket", "Not_A_Bucket", "--s3-region", "us-east-1", "--s3-access-key-id", KEY_ID,
        "--s3-secret-access-key", SECRET);

    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
        .startsWith("error: bucketName must").doesNotContain(SECRET);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void refusesIncompleteS3OptionsNamingWhatIsMissing() {
    assertThat(run("--s3-region", "us-east-1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("need --s3-bucket");
    assertThatThrownBy(() -> new S3DemoOptions.Parser(Map.of()).parseAll("--s3-bucket", BUCKET, "--s3-access-key-id",
        KEY_ID, "--s3-secret-access-key", SECRET))
        .isInstanceOf(DemoOptions.UsageException.class).hasMessageContaining("--s3-region");
    assertThatThrownBy(() -> new S3DemoOptions.Parser(Map.of()).parseAll("--s3-bucket", BUCKET, "--s3-region", "us-east-1"))
        .isInstanceOf(DemoOptions.UsageException.class).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void refusesTwoDestinationsOnOneCommandLine() {
    assertThat(run("--s3-bucket", BUCKET, "--s3-region", "us-east-1", "--s3-access-key-id", KEY_ID,
        "--s3-secret-access-key", SECRET, "--gcp-project", "acme-demo", "--gcp-plaintext",
        "--gcp-endpoint", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("exclude each other").doesNotContain(SECRET);
  }

  @Test
  void takesTheAccessKeyFromTheStandardEnvironmentVariables() throws Exception {
    S3DestinationConfig config = new S3DemoOptions.Parser(Map.of("AWS_ACCESS_KEY_ID", KEY_ID,
        "AWS_SECRET_ACCESS_KEY", SECRET)).parseAll("--s3-bucket", BUCKET, "--s3-region", "eu-central-1").config();

    assertThat(config.accessKeyXid()).isEqualTo(KEY_ID);
    assertThat(config.secretAccessKey().value()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(SECRET));
    assertThat(config.awsRegion()).isEqualTo("eu-central-1");
    assertThat(config.endpoint()).isEmpty();
    assertThat(config.pathStyleAccess()).isFalse();
  }

  @Test
  void listsTheS3OptionsInItsHelp() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--s3-bucket NAME", "--s3-region", "--s3-access-key-id",
        "--s3-secret-access-key", "AWS_SECRET_ACCESS_KEY", "--s3-endpoint", "--s3-path-style");
  }
}
