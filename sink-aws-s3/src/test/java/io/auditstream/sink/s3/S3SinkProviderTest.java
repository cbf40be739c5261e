package io.auditstream.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.testing.SinkTestKit;
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
    assertThatCode(() -> provider.validate(aws().build())).doesNotThrowAnyException();
    assertThatCode(() -> provider.validate(aws().build(), SinkContext.defaults())).doesNotThrowAnyException();
  }

  @Test
  void requiresTheSecretAccessKey() {
    S3DestinationConfig withoutSecret = aws().secretAccessKey((Secret) null).build();

    for (S3DestinationConfig config : new S3DestinationConfig[] {withoutSecret, aws().build().redacted()}) {
      assertThatThrownBy(() -> provider.validate(config))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("secretAccessKey"))
          .hasMessage("secretAccessKey is required");
      assertThatThrownBy(() -> provider.create(SinkTestKit.destination(config), SinkContext.defaults()))
          .isInstanceOf(ValidationException.class);
    }
  }

  @Test
  void refusesConfigsOfAnotherKind() {
    DestinationConfig other = () -> "gcp";

    assertThatThrownBy(() -> provider.validate(other))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"))
        .hasMessageContaining("kind 'gcp'");
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
    // Literal public addresses need no lookup; a name that does not resolve now is checked per request.
    assertThatCode(() -> provider.validate(aws().endpoint("https://8.8.8.8").build(), SinkContext.defaults()))
        .doesNotThrowAnyException();
    assertThatCode(() -> provider.validate(aws().endpoint("https://minio.invalid").build(), SinkContext.defaults()))
        .doesNotThrowAnyException();
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
}
