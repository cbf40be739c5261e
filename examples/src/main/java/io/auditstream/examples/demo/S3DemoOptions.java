package io.auditstream.examples.demo;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.S3DestinationConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's AWS S3 options: with {@code --s3-bucket} the demo streams its sample events to an S3
 * bucket (or an S3-compatible store) instead of an HTTP endpoint. The access key may come from the
 * standard environment variables {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}.
 * Errors never quote the secret access key.
 *
 * @param config the validated S3 destination settings
 */
record S3DemoOptions(S3DestinationConfig config) implements CloudTarget {
  static final List<String> USAGE = List.of(
      "  --s3-bucket NAME             stream to this AWS S3 bucket instead of an HTTP destination",
      "  --s3-region REGION           the bucket's AWS region, for example eu-central-1 (required with --s3-bucket)",
      "  --s3-access-key-id ID        the access key ID (default: $AWS_ACCESS_KEY_ID)",
      "  --s3-secret-access-key KEY   the secret access key (default: $AWS_SECRET_ACCESS_KEY)",
      "  --s3-endpoint URL            an S3-compatible store (MinIO, Ceph) instead of AWS; on loopback or a",
      "                               private address it also needs --allow-local-network",
      "  --s3-path-style              address the bucket in the request path (S3-compatible stores)");

  /** Collects the S3 options of one command line. Not thread-safe. */
  static final class Parser {
    private final Map<String, String> env;
    private String bucket;
    private String region;
    private String accessKeyId;
    private String secretAccessKey;
    private String endpoint;
    private boolean pathStyle;
    private boolean any;

    /** @param env where {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} are looked up */
    Parser(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
    }

    /**
     * Takes the S3 option at {@code args[i]} and its value.
     *
     * @return the index of the last argument used, or -1 when {@code args[i]} is not an S3 option
     */
    int parse(String[] args, int i) throws DemoOptions.UsageException {
      String option = args[i];
      switch (option) {
        case "--s3-bucket" -> bucket = DemoOptions.value(args, i + 1, option);
        case "--s3-region" -> region = DemoOptions.value(args, i + 1, option);
        case "--s3-access-key-id" -> accessKeyId = DemoOptions.value(args, i + 1, option);
        case "--s3-secret-access-key" -> secretAccessKey = DemoOptions.value(args, i + 1, option);
        case "--s3-endpoint" -> endpoint = DemoOptions.value(args, i + 1, option);
        case "--s3-path-style" -> {
          pathStyle = true;
          any = true;
          return i;
        }
        default -> {
          return -1;
        }
      }
      any = true;
      return i + 1;
    }

    /**
     * The S3 target the options describe, or {@code null} when none was given.
     *
     * @throws DemoOptions.UsageException when an option is missing or a value breaks a rule of S3
     *     destinations (naming the field, never the secret)
     */
    S3DemoOptions build() throws DemoOptions.UsageException {
      if (!any) {
        return null;
      }
      if (bucket == null) {
        throw new DemoOptions.UsageException("the --s3-* options need --s3-bucket");
      }
      if (region == null) {
        throw new DemoOptions.UsageException("--s3-bucket needs --s3-region");
      }
      String keyId = accessKeyId != null ? accessKeyId : env.get("AWS_ACCESS_KEY_ID");
      String secret = secretAccessKey != null ? secretAccessKey : env.get("AWS_SECRET_ACCESS_KEY");
      if (keyId == null || secret == null) {
        throw new DemoOptions.UsageException("--s3-bucket needs --s3-access-key-id and --s3-secret-access-key"
            + " (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment)");
      }
      try {
        return new S3DemoOptions(S3DestinationConfig.builder().bucketName(bucket).awsRegion(region)
            .accessKeyXid(keyId).secretAccessKey(secret).endpoint(endpoint).pathStyleAccess(pathStyle).build());
      } catch (ValidationException e) {
        throw new DemoOptions.UsageException(e.getMessage());
      }
    }

    /** Parses a command line of S3 options only, and builds the destination; for tests. */
    S3DemoOptions parseAll(String... args) throws DemoOptions.UsageException {
      for (int i = 0; i < args.length; i++) {
        int last = parse(args, i);
        if (last < 0) {
          throw new DemoOptions.UsageException("unknown option '" + args[i] + "'");
        }
        i = last;
      }
      return build();
    }
  }

  /** The demo's S3 destination, named {@code demo-s3}. */
  @Override
  public DestinationDraft draft(List<String> eventTypeFilter) {
    return DestinationDraft.builder(config).name("demo-s3").eventTypeFilter(eventTypeFilter).build();
  }

  /** {@code s3://bucket}, and the endpoint or region. */
  @Override
  public String describe() {
    return "s3://" + config.bucketName() + config.endpoint().map(e -> " at " + e).orElse(" in " + config.awsRegion());
  }
}
