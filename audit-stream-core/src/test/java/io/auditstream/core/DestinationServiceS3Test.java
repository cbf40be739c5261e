package io.auditstream.core;

import static io.auditstream.core.ServiceFixture.GROUP;
import static io.auditstream.core.ServiceFixture.OTHER_GROUP;
import static io.auditstream.core.ServiceFixture.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.ConflictException;
import io.auditstream.api.MissingSinkException;
import io.auditstream.api.Secret;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationConfig;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.DestinationUpdate;
import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.spi.EventTypeCatalog;
import io.auditstream.core.store.InMemoryDestinationStore;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Management of S3 destinations: uniqueness of the bucket, and the write-only secret access key. */
class DestinationServiceS3Test {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  /** Requires the secret access key, as the real S3 provider does. */
  static final class S3Provider extends ServiceFixture.TestProvider {
    S3Provider() {
      super(S3DestinationConfig.DESTINATION_KIND);
    }

    @Override
    public void validate(DestinationConfig config, SinkContext context) {
      if (!((S3DestinationConfig) config).secretAccessKey().isPresent()) {
        throw new ValidationException("secretAccessKey", "secretAccessKey is required");
      }
    }
  }

  private final InMemoryDestinationStore store = new InMemoryDestinationStore();
  private final DestinationService service = new DestinationService(store,
      (actor, group) -> actor.equals(OWNER) && (group.equals(GROUP) || group.equals(OTHER_GROUP)),
      EventTypeCatalog.of(ServiceFixture.KNOWN_TYPES), SinkProviders.of(List.of(new S3Provider()), getClass().getClassLoader()),
      new ServiceFixture.RecordingDelivery(), 5, Clock.systemUTC(), SinkContext.defaults());

  private static S3DestinationConfig.Builder config(String bucket) {
    return S3DestinationConfig.builder().accessKeyXid("AKIAIOSFODNN7EXAMPLE").secretAccessKey(SECRET)
        .bucketName(bucket).awsRegion("us-east-1");
  }

  private Destination create(String group, String name, S3DestinationConfig config) {
    return service.create(OWNER, group, DestinationDraft.builder(config).name(name).build());
  }

  @Test
  void refusesASecondDestinationWritingToTheSameBucketInTheGroup() {
    Destination first = create(GROUP, "first", config("acme-audit").build());

    assertThatThrownBy(() -> create(GROUP, "second", config("acme-audit").awsRegion("eu-west-1").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("bucketName"))
        .hasMessageContaining("bucketName must be unique in group 'acme'")
        .hasMessageContaining(first.id().toString())
        .hasMessageNotContaining(SECRET);
    assertThat(store.findByGroup(GROUP)).extracting(Destination::id).containsExactly(first.id());
  }

  @Test
  void allowsTheSameBucketInAnotherGroupAndAnotherBucketInTheSameGroup() {
    create(GROUP, "first", config("acme-audit").build());
    create(OTHER_GROUP, "first", config("acme-audit").build());
    create(GROUP, "second", config("acme-audit-2").build());

    assertThat(store.findByGroup(GROUP)).hasSize(2);
    assertThat(store.findByGroup(OTHER_GROUP)).hasSize(1);
  }

  @Test
  void refusesToMoveADestinationOntoABucketAnotherOneUses() {
    create(GROUP, "first", config("acme-audit").build());
    Destination second = create(GROUP, "second", config("acme-audit-2").build());

    assertThatThrownBy(() -> service.update(OWNER, second.id(), DestinationUpdate.builder()
        .config(config("acme-audit").secretAccessKey((Secret) null).build()).build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("bucketName"));
  }

  @Test
  void refusesADestinationWithoutASecretAccessKey() {
    assertThatThrownBy(() -> create(GROUP, "no-secret", config("acme-audit").secretAccessKey((Secret) null).build()))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("secretAccessKey"))
        .hasMessageContaining("secretAccessKey is required");
    assertThat(store.findByGroup(GROUP)).isEmpty();
  }

  @Test
  void updateWithoutTheSecretKeepsTheCurrentOneAndChangesTheRest() {
    Destination d = create(GROUP, "s3", config("acme-audit").build());
    S3DestinationConfig listed = (S3DestinationConfig) service.get(OWNER, d.id()).config();

    Destination updated = service.update(OWNER, d.id(), DestinationUpdate.builder().name("renamed")
        .config(listed.toBuilder().accessKeyXid("AKIAI44QH8DHBEXAMPLE").bucketName("acme-audit-moved")
            .awsRegion("eu-central-1").build())
        .build());

    S3DestinationConfig stored = (S3DestinationConfig) store.find(d.id()).orElseThrow().config();
    assertThat(stored.secretAccessKey().value()).contains(Secret.of(SECRET));
    assertThat(stored.accessKeyXid()).isEqualTo("AKIAI44QH8DHBEXAMPLE");
    assertThat(stored.bucketName()).isEqualTo("acme-audit-moved");
    assertThat(stored.awsRegion()).isEqualTo("eu-central-1");
    assertThat(updated.name()).isEqualTo("renamed");
  }

  @Test
  void updateWithANewSecretReplacesIt() {
    Destination d = create(GROUP, "s3", config("acme-audit").build());

    service.update(OWNER, d.id(), DestinationUpdate.builder()
        .config(config("acme-audit").secretAccessKey("replacement-secret-key-0123").build()).build());

    assertThat(((S3DestinationConfig) store.find(d.id()).orElseThrow().config()).secretAccessKey().value())
        .contains(Secret.of("replacement-secret-key-0123"));
  }

  @Test
  void listingShowsEveryFieldButTheSecret() {
    Destination d = create(GROUP, "s3", config("acme-audit").endpoint("https://minio.example.com")
        .pathStyleAccess(true).build());

    Destination listed = service.list(OWNER, GROUP).get(0);

    S3DestinationConfig c = (S3DestinationConfig) listed.config();
    assertThat(c.secretAccessKey().value()).isEmpty();
    assertThat(c.hasSecretAccessKey()).isTrue();
    assertThat(c.accessKeyXid()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(c.bucketName()).isEqualTo("acme-audit");
    assertThat(c.awsRegion()).isEqualTo("us-east-1");
    assertThat(c.endpoint()).contains("https://minio.example.com");
    assertThat(c.pathStyleAccess()).isTrue();
    assertThat(listed.toString()).doesNotContain(SECRET);
    assertThat(listed.id()).isEqualTo(d.id());
  }

  @Test
  void withoutAnS3SinkAddingOneNamesTheArtifactToAdd() {
    DestinationService withoutS3 = new DestinationService(new InMemoryDestinationStore(),
        (actor, group) -> true, EventTypeCatalog.anyType(), SinkProviders.of(List.of(), getClass().getClassLoader()),
        new ServiceFixture.RecordingDelivery(), 5, Clock.systemUTC(), SinkContext.defaults());

    assertThatThrownBy(() -> withoutS3.create(OWNER, GROUP, DestinationDraft.builder(config("acme-audit").build()).build()))
        .isInstanceOf(MissingSinkException.class)
        .hasMessageContaining("io.auditstream:sink-aws-s3");
  }
}
