package io.auditstream.sink.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import io.auditstream.testing.SinkTestKit;
import io.auditstream.testing.TestHostResolver;
import java.security.KeyPairGenerator;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GcpLoggingSinkProviderTest {
  private static final ServiceAccountKeys KEYS = ServiceAccountKeys.generate();
  private final GcpLoggingSinkProvider provider = new GcpLoggingSinkProvider();
  // No DNS: the names these tests save resolve to public addresses through this table only.
  private final SinkContext strict = SinkContext.builder().hostResolver(TestHostResolver.create()
      .map("logging.example.com", "203.0.113.20")
      .map("oauth.example.com", "203.0.113.21")).build();
  private final SinkContext local = SinkContext.builder().allowLocalNetwork(true).build();

  private static GcpLoggingDestinationConfig.Builder config() {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(GcpTestSupport.PROJECT)
        .clientEmail(GcpTestSupport.CLIENT_EMAIL)
        .privateKey(KEYS.privateKeyPem());
  }

  private void refusesKey(String pem, String messagePart) {
    assertThatThrownBy(() -> provider.validate(config().privateKey(pem).build(), strict))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("privateKey"))
        .hasMessageContaining(messagePart)
        .satisfies(e -> {
          String body = pem.replaceAll("-----[A-Z ]+-----", "").strip();
          if (body.length() > 20) {
            assertThat(e.getMessage()).doesNotContain(body.substring(0, 20)).doesNotContain(body.substring(body.length() - 20));
          }
        });
  }

  @Test
  void isFoundThroughServiceLoaderForKindGcp() {
    assertThat(ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(GcpLoggingSinkProvider.class);
          assertThat(p.kind()).isEqualTo("gcp");
        });
  }

  @Test
  void acceptsAPkcs8RsaKey() {
    provider.validate(config().build(), strict);
    provider.validate(config().endpoint("logging.example.com:443").tokenServerUri("https://oauth.example.com/token")
        .build(), strict);
  }

  @Test
  void acceptsAKeyWhoseNewlinesAreStillEscapedAsInTheJsonKeyFile() {
    String escaped = KEYS.privateKeyPem().strip().replace("\n", "\\n");
    assertThat(escaped).doesNotContain("\n");

    provider.validate(config().privateKey(escaped).build(), strict);
  }

  @Test
  void requiresAPrivateKeyUnlessPlaintext() {
    // That the key is there is the kind's rule; that it parses is the provider's.
    ValidationException.Collector missing = ValidationException.collector();
    GcpLoggingDestinationConfig.DESTINATION_KIND.validate(config().privateKey((String) null).build(), strict, missing);
    assertThatThrownBy(missing::throwIfAny)
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("privateKey"))
        .hasMessageContaining("privateKey is required");
    GcpLoggingDestinationConfig plaintext =
        config().privateKey((String) null).endpoint("127.0.0.1:8085").plaintext(true).build();
    ValidationException.Collector none = ValidationException.collector();
    GcpLoggingDestinationConfig.DESTINATION_KIND.validate(plaintext, local, none);
    assertThat(none.isEmpty()).isTrue();
    provider.validate(plaintext, local);
  }

  @Test
  void refusesAPkcs1KeySayingHowToConvertIt() throws Exception {
    byte[] pkcs8 = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded();
    // A PKCS#1 body is the tail of the PKCS#8 one; the label alone decides here.
    refusesKey(ServiceAccountKeys.pem("RSA PRIVATE KEY", pkcs8), "openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void refusesAKeyOfAnotherAlgorithm() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    refusesKey(ServiceAccountKeys.pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded()),
        "must be an RSA key");
  }

  @Test
  void refusesEncryptedAndUnreadableKeys() {
    refusesKey(ServiceAccountKeys.pem("ENCRYPTED PRIVATE KEY", new byte[64]), "must not be encrypted");
    refusesKey(ServiceAccountKeys.pem("PRIVATE KEY", "not a key at all, only text".getBytes()),
        "not a readable PKCS#8 RSA private key");
    refusesKey("-----BEGIN PRIVATE KEY-----\nMIIE%%%%\n-----END PRIVATE KEY-----", "must be a PEM block");
    refusesKey(ServiceAccountKeys.pem("CERTIFICATE", new byte[32]), "labelled 'CERTIFICATE'");
    String truncated = KEYS.privateKeyPem().substring(0, 400) + "\n-----END PRIVATE KEY-----\n";
    refusesKey(truncated, "not a readable PKCS#8 RSA private key");
  }

  @Test
  void refusesPlaintextUnlessLocalNetworkIsAllowed() {
    GcpLoggingDestinationConfig plaintext = config().endpoint("127.0.0.1:8085").plaintext(true).build();

    assertThatThrownBy(() -> provider.validate(plaintext, strict))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("plaintext", "endpoint"))
        .hasMessageContaining("allowLocalNetwork");
    provider.validate(plaintext, local);
  }

  @Test
  void refusesLocalEndpointAndTokenServerLiteralsUnlessAllowed() {
    GcpLoggingDestinationConfig c = config().endpoint("[::1]:443")
        .tokenServerUri("https://169.254.169.254/token").build();

    assertThatThrownBy(() -> provider.validate(c, strict))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
            .extracting(ValidationException.Violation::field).containsExactly("endpoint", "tokenServerUri"))
        .hasMessageContaining("loopback")
        .hasMessageContaining("cloud metadata");
    provider.validate(c, local);
  }

  @Test
  void refusesAConfigOfAnotherKind() {
    assertThatThrownBy(() -> provider.validate(HttpDestinationConfig.of("https://a.example.com"), strict))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("config"))
        .hasMessageContaining("kind 'http'");
  }

  @Test
  void createsASinkWithoutAnyNetworkIo() {
    var sink = provider.create(SinkTestKit.destination(config().endpoint("logging.invalid:443").build()), strict);

    assertThat(((GcpLoggingSink) sink).currentConnection()).isNull();
    assertThat(sink.toString()).contains("projects/" + GcpTestSupport.PROJECT + "/logs/audit-events")
        .doesNotContain(KEYS.privateKeyBody());
    sink.close();
  }

  @Test
  void refusesAPlainHttpTokenServerUnlessTheStreamerAllowsIt() {
    GcpLoggingDestinationConfig plain = config().tokenServerUri("http://oauth.example.com/token").build();

    assertThatThrownBy(() -> provider.validate(plain, strict))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("tokenServerUri"))
        .hasMessageStartingWith("tokenServerUri must use https: the assertion signed with the private key, and the"
            + " access token it returns, would travel in clear over http to oauth.example.com")
        .hasMessageContaining("allowPlainHttp(true)");
    provider.validate(plain, strict.toBuilder().allowPlainHttp(true).build());
  }
}
