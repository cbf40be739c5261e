package io.auditstream.api.destination;

import static io.auditstream.api.ValidationOutcome.acceptedOrRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.GeneratedText;
import io.auditstream.api.sink.NetworkAddressPolicy;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every generated setting of a Cloud Logging or an S3 destination is either accepted, and then survives
 * the kind's encode and decode and {@code toBuilder()} unchanged (and an address can be connected to:
 * a port from 1 to 65535, a URL the JDK's HTTP client takes), or refused with a {@link
 * io.auditstream.api.ValidationException} naming the field.
 */
class CloudDestinationPropertyTest {
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789-";
  private static final String WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  private static final String HOST = "abcdefghijklmnopqrstuvwxyz0123456789.-";
  private static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

  // ---- Cloud Logging ----

  private static GcpLoggingDestinationConfig.Builder gcp() {
    return GcpLoggingDestinationConfig.builder().googleProjectIdName("my-project-1")
        .clientEmail("writer@my-project-1.iam.gserviceaccount.com").privateKey(PEM);
  }

  private static void gcpField(String field, UnaryOperator<GcpLoggingDestinationConfig.Builder> change) {
    gcpField(field, change, c -> {});
  }

  private static void gcpField(String field, UnaryOperator<GcpLoggingDestinationConfig.Builder> change,
      Consumer<GcpLoggingDestinationConfig> ifAccepted) {
    DestinationKind<GcpLoggingDestinationConfig> kind = GcpLoggingDestinationConfig.DESTINATION_KIND;
    acceptedOrRefused(field, () -> change.apply(gcp()).build(), c -> {
      assertThat(kind.decode(kind.encode(c))).isEqualTo(c);
      assertThat(c.toBuilder().build()).isEqualTo(c);
      ifAccepted.accept(c);
    });
  }

  @Provide
  Arbitrary<String> projectIds() {
    return GeneratedText.near(LOWER, 32);
  }

  @Property
  void googleProjectIdName(@ForAll("projectIds") String id) {
    gcpField("googleProjectIdName", b -> b.googleProjectIdName(id));
  }

  @Provide
  Arbitrary<String> emails() {
    return Arbitraries.oneOf(GeneratedText.near(WORD + ".", 20).map(s -> s + "@p.iam.gserviceaccount.com"),
        GeneratedText.near(WORD + ".@", 260));
  }

  @Property
  void clientEmail(@ForAll("emails") String email) {
    gcpField("clientEmail", b -> b.clientEmail(email));
  }

  @Provide
  Arbitrary<String> privateKeys() {
    return Arbitraries.oneOf(GeneratedText.near(WORD + "+/=\n", 200).map(s -> "-----BEGIN PRIVATE KEY-----\n" + s
        + "\n-----END PRIVATE KEY-----\n"), GeneratedText.near(WORD + "-", 60));
  }

  @Property
  void privateKey(@ForAll("privateKeys") String pem) {
    gcpField("privateKey", b -> b.privateKey(pem));
  }

  @Provide
  Arbitrary<String> logIds() {
    return GeneratedText.near(WORD + "/.-", 520);
  }

  @Property
  void logIdName(@ForAll("logIds") String logId) {
    gcpField("logIdName", b -> b.logIdName(logId));
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(HOST.toCharArray()).ofMinLength(1).ofMaxLength(30)
            .flatMap(h -> Arbitraries.integers().between(-5, 70_000).map(p -> h + ":" + p)),
        GeneratedText.near(HOST + ":[]", 40), Arbitraries.of("[::1]:443", "[:::::]:443", "[1.2.3.4]:80", ":443"),
        Combinators.combine(Arbitraries.of("logging.example.com", "10.0.0.1", "[::1]", "[fe80::1]", "[beef]", "a"),
            GeneratedUrls.ports()).as((h, p) -> h + ":" + p));
  }

  @Property
  void endpointAndPlaintext(@ForAll("endpoints") String endpoint, @ForAll boolean plaintext) {
    gcpField("endpoint", b -> b.endpoint(endpoint).plaintext(plaintext), c -> {
      // Read as the sink reads it to open the channel.
      int colon = endpoint.lastIndexOf(':');
      String host = endpoint.substring(0, colon);
      int port = Integer.parseInt(endpoint.substring(colon + 1));
      assertThat(port).isBetween(1, 65535);
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      assertThat(c.endpointHost()).contains(bare);
      assertThat(InetSocketAddress.createUnresolved(bare, port).getPort()).isEqualTo(port);
      if (host.startsWith("[")) {
        assertThat(NetworkAddressPolicy.parseLiteral(bare)).containsInstanceOf(Inet6Address.class);
      }
    });
  }

  @Provide
  Arbitrary<String> uris() {
    return Arbitraries.oneOf(GeneratedText.after("https://", HOST + "/:?#@[]%", 260),
        GeneratedText.after("http://oauth2.example.com", HOST + "/:?", 30), GeneratedText.near(HOST + "/:", 40),
        GeneratedUrls.withPorts(), Arbitraries.just(null));
  }

  @Property
  void tokenServerUri(@ForAll("uris") String uri) {
    gcpField("tokenServerUri", b -> b.tokenServerUri(uri), c -> {
      assertThat(c.tokenServerUri()).isEqualTo(Optional.ofNullable(uri).map(URI::create));
      if (uri != null) {
        JdkSending.assertUrlCanBeSent(uri);
      }
    });
  }

  // ---- S3 ----

  private static S3DestinationConfig.Builder s3() {
    return S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE")
        .secretAccessKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").bucketName("acme-audit-events")
        .awsRegion("eu-central-1");
  }

  private static void s3Field(String field, UnaryOperator<S3DestinationConfig.Builder> change) {
    s3Field(field, change, c -> {});
  }

  private static void s3Field(String field, UnaryOperator<S3DestinationConfig.Builder> change,
      Consumer<S3DestinationConfig> ifAccepted) {
    DestinationKind<S3DestinationConfig> kind = S3DestinationConfig.DESTINATION_KIND;
    acceptedOrRefused(field, () -> change.apply(s3()).build(), c -> {
      assertThat(kind.decode(kind.encode(c))).isEqualTo(c);
      assertThat(c.toBuilder().build()).isEqualTo(c);
      ifAccepted.accept(c);
    });
  }

  @Provide
  Arbitrary<String> accessKeyIds() {
    return GeneratedText.near(WORD, 140);
  }

  @Property
  void accessKeyXid(@ForAll("accessKeyIds") String id) {
    s3Field("accessKeyXid", b -> b.accessKeyXid(id));
  }

  @Provide
  Arbitrary<String> secretKeys() {
    return GeneratedText.near(WORD + "/+!~", 200);
  }

  @Property
  void secretAccessKey(@ForAll("secretKeys") String key) {
    s3Field("secretAccessKey", b -> b.secretAccessKey(key));
  }

  @Provide
  Arbitrary<String> buckets() {
    return Arbitraries.oneOf(GeneratedText.near(LOWER + ".", 66),
        Arbitraries.of("xn--abc", "abc-s3alias", "192.168.0.1", "a..b", "ab", "a".repeat(63), "a".repeat(64)));
  }

  @Property
  void bucketName(@ForAll("buckets") String bucket) {
    s3Field("bucketName", b -> b.bucketName(bucket));
  }

  @Provide
  Arbitrary<String> regions() {
    return Arbitraries.oneOf(Arbitraries.of("us-east-1", "eu-central-1", "us-gov-west-1", "ap-southeast-5"),
        GeneratedText.near(LOWER, 30));
  }

  @Property
  void awsRegion(@ForAll("regions") String region) {
    s3Field("awsRegion", b -> b.awsRegion(region));
  }

  @Property
  void endpointAndPathStyleAccess(@ForAll("uris") String endpoint, @ForAll boolean pathStyle) {
    s3Field("endpoint", b -> b.endpoint(endpoint).pathStyleAccess(pathStyle), c -> {
      assertThat(c.endpointUri()).isEqualTo(Optional.ofNullable(endpoint).map(URI::create));
      if (endpoint != null) {
        JdkSending.assertUrlCanBeSent(endpoint);
      }
    });
  }
}
