package io.auditstream.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Actor;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.core.AuditStreamer;
import io.auditstream.testing.SinkTestKit;
import io.auditstream.testing.TestHostResolver;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class S3SinkProviderTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private final S3SinkProvider provider = new S3SinkProvider();

  private static S3DestinationConfig.Builder aws() {
    return S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE").secretAccessKey(SECRET)
        .bucketName("acme-audit").awsRegion("eu-central-1");
  }

  @Test
  void isFoundByServiceLoaderForKindS3() {
    assertThat(ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get))
        .filteredOn(p -> p.kind().equals("s3"))
        .singleElement()
        .isInstanceOf(S3SinkProvider.class);
  }

  @Test
  void acceptsACompleteConfigWithoutNetworkAccess() {
    assertThatCode(() -> provider.validate(aws().build(), SinkContext.defaults())).doesNotThrowAnyException();
  }

  @Test
  void requiresTheSecretAccessKey() {
    S3DestinationConfig withoutSecret = aws().secretAccessKey((Secret) null).build();

    // Saving one without a key is refused by the kind's rule (a redacted one by the engine's).
    ValidationException.Collector v = ValidationException.collector();
    S3DestinationConfig.DESTINATION_KIND.validate(withoutSecret, SinkContext.defaults(), v);
    assertThatThrownBy(v::throwIfAny)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("secretAccessKey"))
        .hasMessage("secretAccessKey is required");
    // And no sink is made from a config that does not carry the key.
    for (S3DestinationConfig config : new S3DestinationConfig[] {withoutSecret,
        S3DestinationConfig.DESTINATION_KIND.redacted(aws().build())}) {
      assertThatThrownBy(() -> provider.create(SinkTestKit.destination(config), SinkContext.defaults()))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("secretAccessKey"));
    }
  }

  @Test
  void refusesConfigsOfAnotherKind() {
    DestinationConfig other = io.auditstream.testing.RecordingDestinationConfig.of();

    assertThatThrownBy(() -> provider.validate(other, SinkContext.defaults()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"))
        .hasMessageContaining("kind 'test'");
  }

  @Test
  void refusesLocalEndpointsWhenSavedUnlessLocalNetworkIsAllowed() {
    SinkContext strict = SinkContext.defaults();
    SinkContext permissive = SinkContext.builder().allowLocalNetwork(true).build();

    for (String endpoint : new String[] {"http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000",
        "https://10.1.2.3", "http://192.168.0.10:9000", "http://169.254.169.254"}) {
      S3DestinationConfig config = aws().endpoint(endpoint).pathStyleAccess(true).build();
      assertThatThrownBy(() -> provider.validate(config, strict))
          .as(endpoint)
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
          .hasMessageContaining("allowLocalNetwork")
          .hasMessageNotContaining(SECRET);
      assertThatCode(() -> provider.validate(config, permissive)).as(endpoint).doesNotThrowAnyException();
    }
  }

  @Test
  void acceptsPublicAndUnresolvableEndpointsWhenSaved() {
    // No DNS: the fake resolver knows no name.
    SinkContext strict = SinkContext.builder().hostResolver(TestHostResolver.create()).build();

    // Literal public addresses need no lookup; a name that does not resolve now is checked per request.
    assertThatCode(() -> provider.validate(aws().endpoint("https://8.8.8.8").build(), strict))
        .doesNotThrowAnyException();
    assertThatCode(() -> provider.validate(aws().endpoint("https://minio.invalid").build(), strict))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesWhenSavedAnEndpointNameResolvingToAPrivateAddress() {
    TestHostResolver names = TestHostResolver.create().map("minio.internal.example", "10.1.2.3");
    SinkContext strict = SinkContext.builder().hostResolver(names).build();

    assertThatThrownBy(() -> provider.validate(aws().endpoint("https://minio.internal.example:9000").build(), strict))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("endpoint"))
        .hasMessageContaining("endpoint refused: destination host minio.internal.example resolves to 10.1.2.3")
        .hasMessageContaining("allowLocalNetwork(true)")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void acceptsAnyEndpointWhenSavedWhileLocalNetworkIsAllowedWithoutLookingItUp() {
    TestHostResolver names = TestHostResolver.create().map("minio.internal.example", "10.1.2.3");
    SinkContext permissive = SinkContext.builder().allowLocalNetwork(true).hostResolver(names).build();

    assertThatCode(() -> provider.validate(aws().endpoint("https://minio.internal.example").build(), permissive))
        .doesNotThrowAnyException();
    assertThat(names.lookups()).isZero();
  }

  @Test
  void reportsAMissingSecretAndARefusedEndpointAtOnce() {
    SinkContext strict = SinkContext.builder().hostResolver(TestHostResolver.create()).build();
    S3DestinationConfig config = aws().secretAccessKey((Secret) null).endpoint("https://169.254.169.254").build();

    // The kind's rule and the provider's network check, as the engine runs them when saving.
    try (AuditStreamer streamer = AuditStreamer.builder().accessPolicy((actor, group) -> true)
        .hostResolver(TestHostResolver.create()).sinkProviders(java.util.List.of(provider)).build()) {
      assertThatThrownBy(() -> streamer.destinations().create(Actor.of("alice"), "acme",
          DestinationDraft.builder(config).build()))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
              .extracting(ValidationException.Violation::field).containsExactly("secretAccessKey", "endpoint"));
    }
  }

  @Test
  void createsASinkWithoutNetworkAccessWhoseToStringHoldsNoSecret() {
    S3DestinationConfig config = aws().endpoint("https://minio.invalid:9000").pathStyleAccess(true).build();

    try (Sink sink = provider.create(SinkTestKit.destination(config), SinkContext.defaults())) {
      assertThat(sink.toString())
          .isEqualTo("S3Sink{bucket=acme-audit, region=eu-central-1, endpoint=minio.invalid:9000, closed=false}");
    }
    assertThat(provider.toString()).isEqualTo("S3SinkProvider{kind=s3}");
  }

  @Test
  void refusesAPlainHttpEndpointUnlessTheStreamerAllowsIt() {
    S3DestinationConfig plain = aws().endpoint("http://8.8.8.8:9000").build();

    assertThatThrownBy(() -> provider.validate(plain, SinkContext.defaults()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
        .hasMessageStartingWith("endpoint must use https: requests signed with the access key, and the events,"
            + " would travel in clear over http to 8.8.8.8:9000")
        .hasMessageNotContaining(SECRET);
    assertThatCode(() -> provider.validate(plain, SinkContext.builder().allowPlainHttp(true).build()))
        .doesNotThrowAnyException();
  }
}
