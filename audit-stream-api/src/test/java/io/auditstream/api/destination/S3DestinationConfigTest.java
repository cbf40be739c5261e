package io.auditstream.api.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3DestinationConfigTest {
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private static S3DestinationConfig.Builder valid() {
    return S3DestinationConfig.builder()
        .accessKeyXid(KEY_ID)
        .secretAccessKey(SECRET)
        .bucketName("acme-audit-events")
        .awsRegion("eu-central-1");
  }

  private static S3DestinationConfig build(UnaryOperator<S3DestinationConfig.Builder> change) {
    return change.apply(valid()).build();
  }

  private static void rejects(String field, UnaryOperator<S3DestinationConfig.Builder> change, String messagePart) {
    assertThatThrownBy(() -> build(change))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.violations()).allSatisfy(v -> assertThat(v.field()).isEqualTo(field));
          assertThat(e.getMessage()).doesNotContain(SECRET);
        })
        .hasMessageContaining(field)
        .hasMessageContaining(messagePart);
  }

  private static void rejectsBucket(String bucket, String messagePart) {
    rejects("bucketName", b -> b.bucketName(bucket), messagePart);
  }

  @Test
  void buildsAValidConfigWithDefaults() {
    S3DestinationConfig c = valid().build();

    assertThat(c.kind()).isEqualTo("s3").isEqualTo(S3DestinationConfig.KIND);
    assertThat(c.accessKeyXid()).isEqualTo(KEY_ID);
    assertThat(c.secretAccessKey().value()).contains(Secret.of(SECRET));
    assertThat(c.hasSecretAccessKey()).isTrue();
    assertThat(c.bucketName()).isEqualTo("acme-audit-events");
    assertThat(c.awsRegion()).isEqualTo("eu-central-1");
    assertThat(c.endpoint()).isEmpty();
    assertThat(c.endpointUri()).isEmpty();
    assertThat(c.pathStyleAccess()).isFalse();
  }

  @Test
  void acceptsAccessKeyIdsOf16To128WordCharacters() {
    assertThat(build(b -> b.accessKeyXid("A".repeat(16))).accessKeyXid()).hasSize(16);
    assertThat(build(b -> b.accessKeyXid("a_1".repeat(42) + "zz")).accessKeyXid()).hasSize(128);
    rejects("accessKeyXid", b -> b.accessKeyXid("A".repeat(15)), "16 to 128 characters (was 15)");
    rejects("accessKeyXid", b -> b.accessKeyXid("A".repeat(129)), "16 to 128 characters (was 129)");
    rejects("accessKeyXid", b -> b.accessKeyXid("AKIA-IOSFODNN7EXAMPLE"), "word characters");
    rejects("accessKeyXid", b -> b.accessKeyXid("AKIA IOSFODNN7EXAMPLE"), "word characters");
    rejects("accessKeyXid", b -> b.accessKeyXid(null), "accessKeyXid is required");
    rejects("accessKeyXid", b -> b.accessKeyXid(""), "accessKeyXid is required");
  }

  @Test
  void acceptsBucketNamesThatFollowS3Rules() {
    for (String ok : new String[] {"abc", "a".repeat(63), "my.audit-bucket.2024", "0-logs", "logs9",
        "xn-single-hyphen", "bucket-s3alias-not-at-end", "192.168.5.4a"}) {
      assertThat(build(b -> b.bucketName(ok)).bucketName()).as(ok).isEqualTo(ok);
    }
  }

  @Test
  void rejectsBucketNamesOfTheWrongLength() {
    rejectsBucket("ab", "3 to 63 characters (was 2)");
    rejectsBucket("a".repeat(64), "3 to 63 characters (was 64)");
    rejectsBucket("", "bucketName is required");
    rejectsBucket(null, "bucketName is required");
  }

  @Test
  void rejectsBucketNamesWithCharactersS3DoesNotAllow() {
    rejectsBucket("Audit-Events", "lowercase letters, digits, dots and hyphens");
    rejectsBucket("audit_events", "lowercase letters, digits, dots and hyphens");
    rejectsBucket("audit events", "lowercase letters, digits, dots and hyphens");
    rejectsBucket("audit/events", "lowercase letters, digits, dots and hyphens");
  }

  @Test
  void rejectsBucketNamesThatDoNotBeginAndEndWithALetterOrDigit() {
    rejectsBucket("-audit", "begin and end with a lowercase letter or digit");
    rejectsBucket("audit-", "begin and end with a lowercase letter or digit");
    rejectsBucket(".audit", "begin and end with a lowercase letter or digit");
    rejectsBucket("audit.", "begin and end with a lowercase letter or digit");
  }

  @Test
  void rejectsAdjacentDotsAndIpAddressForms() {
    rejectsBucket("audit..events", "two adjacent dots");
    rejectsBucket("192.168.5.4", "formatted as an IP address");
    rejectsBucket("10.0.0.1", "formatted as an IP address");
  }

  @Test
  void rejectsS3ReservedPrefixesAndSuffixes() {
    rejectsBucket("xn--audit", "must not start with 'xn--'");
    rejectsBucket("sthree-audit", "must not start with 'sthree-'");
    rejectsBucket("amzn-s3-demo-audit", "must not start with 'amzn-s3-demo-'");
    rejectsBucket("audit-s3alias", "must not end with '-s3alias'");
    rejectsBucket("audit--ol-s3", "must not end with '--ol-s3'");
    rejectsBucket("audit.mrap", "must not end with '.mrap'");
    rejectsBucket("audit--x-s3", "must not end with '--x-s3'");
    rejectsBucket("audit--table-s3", "must not end with '--table-s3'");
  }

  @Test
  void reportsEveryBrokenBucketRuleAtOnce() {
    assertThatThrownBy(() -> build(b -> b.bucketName("-Audit..")))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::message)
            .anySatisfy(m -> assertThat(m).contains("lowercase letters, digits"))
            .anySatisfy(m -> assertThat(m).contains("begin and end"))
            .anySatisfy(m -> assertThat(m).contains("two adjacent dots")));
  }

  @Test
  void acceptsRegionNamesOfAwsFormat() {
    for (String region : new String[] {"us-east-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1",
        "cn-north-1", "il-central-1", "ca-west-1", "ap-northeast-3", "mx-central-1"}) {
      assertThat(build(b -> b.awsRegion(region)).awsRegion()).as(region).isEqualTo(region);
    }
  }

  @Test
  void rejectsRegionsNotOfAwsFormat() {
    for (String region : new String[] {"US-EAST-1", "us-east", "useast1", "us-east-100", "eu_central_1",
        "us-east-1 ", "frankfurt", "u-east-1"}) {
      rejects("awsRegion", b -> b.awsRegion(region), "AWS region name such as us-east-1");
    }
    rejects("awsRegion", b -> b.awsRegion(null), "awsRegion is required");
  }

  @Test
  void acceptsAnHttpOrHttpsEndpointWithPathStyleAccess() {
    S3DestinationConfig c = build(b -> b.endpoint("http://127.0.0.1:9000").pathStyleAccess(true));

    assertThat(c.endpoint()).contains("http://127.0.0.1:9000");
    assertThat(c.endpointUri()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9000));
    assertThat(c.pathStyleAccess()).isTrue();
    assertThat(build(b -> b.endpoint("https://minio.example.com/")).endpoint()).contains("https://minio.example.com/");
    String longest = "https://s3.example.com/" + "p".repeat(255 - "https://s3.example.com/".length());
    assertThat(build(b -> b.endpoint(longest)).endpoint()).hasValue(longest);
  }

  @Test
  void rejectsEndpointsThatAreNotPlainHttpUris() {
    rejects("endpoint", b -> b.endpoint("ftp://s3.example.com"), "http or https");
    rejects("endpoint", b -> b.endpoint("s3.example.com"), "http or https");
    rejects("endpoint", b -> b.endpoint("https:///bucket"), "must name a host");
    rejects("endpoint", b -> b.endpoint("https://user:pw@s3.example.com"), "user info");
    rejects("endpoint", b -> b.endpoint("https://s3.example.com/?x=1"), "query or fragment");
    rejects("endpoint", b -> b.endpoint("https://s3.example.com/#top"), "query or fragment");
    rejects("endpoint", b -> b.endpoint("https://s3.example.com/a b"), "valid URL");
    rejects("endpoint", b -> b.endpoint("https://s3.example.com:0"), "port must be 1 to 65535 (was 0)");
    rejects("endpoint", b -> b.endpoint("https://s3.example.com:65536"), "port must be 1 to 65535 (was 65536)");
    rejects("endpoint", b -> b.endpoint("  "), "must not be blank");
    rejects("endpoint", b -> b.endpoint("https://s3.example.com/" + "p".repeat(233)), "at most 255 characters (was 256)");
  }

  @Test
  void allowsTheSecretToBeLeftOutButChecksItWhenGiven() {
    S3DestinationConfig withoutSecret = build(b -> b.secretAccessKey((Secret) null));

    assertThat(withoutSecret.secretAccessKey().value()).isEmpty();
    assertThat(withoutSecret.hasSecretAccessKey()).isFalse();
    rejects("secretAccessKey", b -> b.secretAccessKey(""), "1 to 128 visible ASCII characters");
    rejects("secretAccessKey", b -> b.secretAccessKey("with space inside-abc"), "(was 21 characters)");
    rejects("secretAccessKey", b -> b.secretAccessKey("k".repeat(129)), "(was 129 characters)");
  }

  @Test
  void reportsEveryBrokenFieldAtOnceWithoutEchoingTheSecret() {
    String badSecret = "secret with-spaces-in-it";
    assertThatThrownBy(() -> S3DestinationConfig.builder().accessKeyXid("short").secretAccessKey(badSecret)
        .bucketName("Bad_Bucket").awsRegion("mars-1").endpoint("ftp://x").build())
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.violations()).extracting(ValidationException.Violation::field)
              .contains("accessKeyXid", "secretAccessKey", "bucketName", "awsRegion", "endpoint");
          assertThat(e.getMessage()).doesNotContain(badSecret).doesNotContain("with-spaces");
        });
  }

  @Test
  void toStringNeverShowsTheSecretAndMasksTheAccessKeyId() {
    S3DestinationConfig c = build(b -> b.endpoint("https://minio.example.com:9000/base").pathStyleAccess(true));

    assertThat(c.toString())
        .doesNotContain(SECRET)
        .doesNotContain(KEY_ID)
        .contains("accessKeyXid=AKIA****")
        .contains("secretAccessKey=set")
        .contains("bucketName=acme-audit-events")
        .contains("awsRegion=eu-central-1")
        .contains("endpoint=https://minio.example.com:9000")
        .contains("pathStyleAccess=true");
    assertThat(c.maskedAccessKeyXid()).isEqualTo("AKIA****");
    assertThat(build(b -> b.secretAccessKey((Secret) null)).toString()).contains("secretAccessKey=not set");
  }

  @Test
  void redactedCopyLeavesTheSecretOutButSaysOneIsSet() {
    S3DestinationConfig c = valid().build();

    S3DestinationConfig r = S3DestinationConfig.DESTINATION_KIND.redacted(c);

    assertThat(r.secretAccessKey().value()).isEmpty();
    assertThat(r.hasSecretAccessKey()).isTrue();
    assertThat(r.accessKeyXid()).isEqualTo(KEY_ID);
    assertThat(r.bucketName()).isEqualTo(c.bucketName());
    assertThat(r).isNotEqualTo(c);
    assertThat(r.toString()).contains("secretAccessKey=set").doesNotContain(SECRET);
    assertThat(S3DestinationConfig.DESTINATION_KIND.redacted(r)).isSameAs(r);
    assertThat(S3DestinationConfig.DESTINATION_KIND.redacted(build(b -> b.secretAccessKey((Secret) null)))
        .hasSecretAccessKey()).isFalse();
  }

  @Test
  void takesTheSecretFromThePreviousConfigOnlyWhenItHasNone() {
    S3DestinationConfig previous = valid().build();
    S3DestinationConfig renamedBucket =
        S3DestinationConfig.DESTINATION_KIND.redacted(previous).toBuilder().bucketName("acme-audit-2").build();

    S3DestinationConfig merged = S3DestinationConfig.DESTINATION_KIND.keepingSecrets(renamedBucket, previous);

    assertThat(merged.secretAccessKey().value()).contains(Secret.of(SECRET));
    assertThat(merged.hasSecretAccessKey()).isTrue();
    assertThat(merged.bucketName()).isEqualTo("acme-audit-2");

    S3DestinationConfig newSecret = previous.toBuilder().secretAccessKey("a-new-secret-value-123").build();
    assertThat(S3DestinationConfig.DESTINATION_KIND.keepingSecrets(newSecret, previous).secretAccessKey().value())
        .contains(Secret.of("a-new-secret-value-123"));

    DestinationConfig otherKind = HttpDestinationConfig.of("https://a.example.com");
    assertThatThrownBy(() -> DestinationConfigs.keepingSecrets(renamedBucket, otherKind))
        .isInstanceOf(ValidationException.class);
    assertThat(S3DestinationConfig.DESTINATION_KIND.keepingSecrets(renamedBucket,
        S3DestinationConfig.DESTINATION_KIND.redacted(previous)).secretAccessKey().value()).isEmpty();
  }

  @Test
  void toBuilderCopiesEverySettingAndEqualityIncludesTheSecret() {
    S3DestinationConfig c = build(b -> b.endpoint("http://localhost:9000").pathStyleAccess(true));

    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.toBuilder().secretAccessKey("another-secret-key-value").build()).isNotEqualTo(c);
    assertThat(c.toBuilder().pathStyleAccess(false).build()).isNotEqualTo(c);
    assertThat(c.toBuilder().endpoint(null).build()).isNotEqualTo(c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://2130706433:9000", "https://0xa9fea9fe"})
  void refusesAnEndpointThatSpellsAnIpv4AddressAsANumber(String endpoint) {
    assertThatThrownBy(() -> build(b -> b.endpoint(endpoint)))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
        .hasMessageContaining("in a form that clients and proxies read differently; write it as");
  }
}
