package io.auditstream.api.destination;

import io.auditstream.api.Secret;
import io.auditstream.api.MessageText;
import io.auditstream.api.ValidationException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of an AWS S3 destination: the bucket each event is written to as one object, its
 * region, and the access key that writes it. An endpoint override and path-style access serve
 * S3-compatible stores (MinIO, Ceph, S3Proxy).
 *
 * <p>Rules (checked by {@link Builder#build()}, every violation reported at once):
 * <ul>
 *   <li>{@code accessKeyXid}: required, {@value #MIN_ACCESS_KEY_ID_LENGTH} to {@value
 *       #MAX_ACCESS_KEY_ID_LENGTH} word characters (letters, digits, {@code _});
 *   <li>{@code secretAccessKey}: a {@link WriteOnlySecret}; optional here, so that an update can
 *       leave it out and keep the current one; required when a destination is saved. When present:
 *       1 to {@value #MAX_SECRET_ACCESS_KEY_LENGTH} visible ASCII characters;
 *   <li>{@code bucketName}: required, S3's rules for general purpose buckets: {@value
 *       #MIN_BUCKET_NAME_LENGTH} to {@value #MAX_BUCKET_NAME_LENGTH} characters of lowercase
 *       letters, digits, dots and hyphens; begins and ends with a letter or digit; no two adjacent
 *       dots; not an IPv4 address; none of S3's reserved prefixes ({@code xn--}, {@code sthree-},
 *       {@code amzn-s3-demo-}) or suffixes ({@code -s3alias}, {@code --ol-s3}, {@code .mrap},
 *       {@code --x-s3}, {@code --table-s3});
 *   <li>{@code awsRegion}: required, the format of AWS region names, for example {@code us-east-1},
 *       {@code eu-central-1}, {@code us-gov-west-1} (regions AWS opens later pass too);
 *   <li>{@code endpoint}: optional, an absolute {@code http} or {@code https} URI of at most {@value
 *       #MAX_ENDPOINT_LENGTH} characters with a host and no user info, query or fragment;
 *   <li>{@code pathStyleAccess}: {@code false} unless set.
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows whether a secret access key is set, never
 * the key, and only the start of the access key ID. {@link #equals} includes the secret (compared
 * in constant time).
 */
public final class S3DestinationConfig implements DestinationConfig {
  /** The kind name of AWS S3 destinations. */
  public static final String KIND = "s3";
  /** The contract of AWS S3 destinations. */
  public static final DestinationKind<S3DestinationConfig> DESTINATION_KIND = new S3DestinationKind();
  /** The fewest characters an access key ID may have. */
  public static final int MIN_ACCESS_KEY_ID_LENGTH = 16;
  /** The most characters an access key ID may have. */
  public static final int MAX_ACCESS_KEY_ID_LENGTH = 128;
  /** The most characters a secret access key may have. */
  public static final int MAX_SECRET_ACCESS_KEY_LENGTH = 128;
  /** The fewest characters a bucket name may have. */
  public static final int MIN_BUCKET_NAME_LENGTH = 3;
  /** The most characters a bucket name may have. */
  public static final int MAX_BUCKET_NAME_LENGTH = 63;
  /** The longest an endpoint override may be, in characters. */
  public static final int MAX_ENDPOINT_LENGTH = 255;

  private static final Pattern WORD = Pattern.compile("\\w+");
  private static final Pattern BUCKET_CHARACTERS = Pattern.compile("[a-z0-9.-]+");
  private static final Pattern IPV4_FORM = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  private final String accessKeyXid;
  private final WriteOnlySecret secretAccessKey;
  private final String bucketName;
  private final String awsRegion;
  private final String endpoint;
  private final boolean pathStyleAccess;

  private S3DestinationConfig(Builder b) {
    this.accessKeyXid = b.accessKeyXid;
    this.secretAccessKey = b.secretAccessKey;
    this.bucketName = b.bucketName;
    this.awsRegion = b.awsRegion;
    this.endpoint = b.endpoint;
    this.pathStyleAccess = b.pathStyleAccess;
  }

  /** A new builder with nothing set and path-style access off. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every setting of this config, the secret access key as this config has it
   * (redacted on a listed copy), to derive a changed copy.
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.accessKeyXid = accessKeyXid;
    b.secretAccessKey = secretAccessKey;
    b.bucketName = bucketName;
    b.awsRegion = awsRegion;
    b.endpoint = endpoint;
    b.pathStyleAccess = pathStyleAccess;
    return b;
  }

  @Override
  public DestinationKind<S3DestinationConfig> destinationKind() {
    return DESTINATION_KIND;
  }

  /** The ID of the access key that writes the objects (GitLab calls it {@code accessKeyXid}). */
  public String accessKeyXid() {
    return accessKeyXid;
  }

  /**
   * The first four characters of the access key ID followed by {@code ****}: enough for an Owner to
   * recognise the key in a message, too little to be of use to anyone else.
   */
  public String maskedAccessKeyXid() {
    return accessKeyXid.substring(0, Math.min(4, accessKeyXid.length())) + "****";
  }

  /**
   * The secret access key: present when this config carries it, redacted on a listed copy, absent
   * when it was left out (an update that keeps the current key).
   */
  public WriteOnlySecret secretAccessKey() {
    return secretAccessKey;
  }

  /** Whether a secret access key is set: present, or redacted on a listed copy. */
  public boolean hasSecretAccessKey() {
    return secretAccessKey.isSet();
  }

  /** The bucket the objects are written to. */
  public String bucketName() {
    return bucketName;
  }

  /** The AWS region of the bucket, for example {@code eu-central-1}. */
  public String awsRegion() {
    return awsRegion;
  }

  /** The endpoint of an S3-compatible store (MinIO, Ceph), if one overrides AWS's own. */
  public Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** {@link #endpoint()} as a {@link URI}. */
  public Optional<URI> endpointUri() {
    return endpoint().map(URI::create);
  }

  /**
   * Whether requests address the bucket in the path ({@code https://host/bucket/key}) rather than
   * in the host name ({@code https://bucket.host/key}); S3-compatible stores usually need it.
   */
  public boolean pathStyleAccess() {
    return pathStyleAccess;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof S3DestinationConfig c
        && accessKeyXid.equals(c.accessKeyXid)
        && secretAccessKey.equals(c.secretAccessKey)
        && bucketName.equals(c.bucketName)
        && awsRegion.equals(c.awsRegion)
        && Objects.equals(endpoint, c.endpoint)
        && pathStyleAccess == c.pathStyleAccess;
  }

  @Override
  public int hashCode() {
    return Objects.hash(accessKeyXid, secretAccessKey.isSet(), bucketName, awsRegion, endpoint, pathStyleAccess);
  }

  @Override
  public String toString() {
    return "S3DestinationConfig{accessKeyXid=" + maskedAccessKeyXid()
        + ", secretAccessKey=" + (hasSecretAccessKey() ? "set" : "not set")
        + ", bucketName=" + bucketName + ", awsRegion=" + awsRegion
        + (endpoint == null ? "" : ", endpoint=" + endpointForDisplay(URI.create(endpoint)))
        + ", pathStyleAccess=" + pathStyleAccess + "}";
  }

  private static String endpointForDisplay(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  /** Builds an {@link S3DestinationConfig}. Not thread-safe. */
  public static final class Builder implements DestinationConfigBuilder<S3DestinationConfig> {
    private String accessKeyXid;
    private WriteOnlySecret secretAccessKey = WriteOnlySecret.absent();
    private String bucketName;
    private String awsRegion;
    private String endpoint;
    private boolean pathStyleAccess;

    private Builder() {}

    /** The access key ID; required. */
    public Builder accessKeyXid(String accessKeyXid) {
      this.accessKeyXid = accessKeyXid;
      return this;
    }

    /** The secret access key; absent or redacted leaves it unset (an update then keeps the current one). */
    public Builder secretAccessKey(WriteOnlySecret secretAccessKey) {
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      return this;
    }

    /** The secret access key; {@code null} leaves it unset (an update then keeps the current one). */
    public Builder secretAccessKey(Secret secretAccessKey) {
      return secretAccessKey(WriteOnlySecret.ofNullable(secretAccessKey));
    }

    /** The secret access key as plain text; {@code null} leaves it unset. */
    public Builder secretAccessKey(String secretAccessKey) {
      return secretAccessKey(secretAccessKey == null ? null : Secret.of(secretAccessKey));
    }

    /** The bucket name; required. */
    public Builder bucketName(String bucketName) {
      this.bucketName = bucketName;
      return this;
    }

    /** The bucket's AWS region, for example {@code us-east-1}; required. */
    public Builder awsRegion(String awsRegion) {
      this.awsRegion = awsRegion;
      return this;
    }

    /** The endpoint of an S3-compatible store; {@code null} (the default) means AWS's own. */
    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** Whether to address the bucket in the request path; defaults to {@code false}. */
    public Builder pathStyleAccess(boolean pathStyleAccess) {
      this.pathStyleAccess = pathStyleAccess;
      return this;
    }

    /**
     * @throws ValidationException naming each field that breaks a rule; the messages never quote
     *     the secret access key
     */
    @Override
    public S3DestinationConfig build() {
      ValidationException.Collector v = ValidationException.collector();
      validateAccessKeyXid(v);
      validateSecretAccessKey(v);
      validateBucketName(v, bucketName);
      validateRegion(v);
      validateEndpoint(v);
      v.throwIfAny();
      return new S3DestinationConfig(this);
    }

    private void validateAccessKeyXid(ValidationException.Collector v) {
      if (accessKeyXid == null || accessKeyXid.isEmpty()) {
        v.add("accessKeyXid", "accessKeyXid is required");
        return;
      }
      // The ID is not a secret, but is no one's business in an error message either: length only.
      v.check(accessKeyXid.length() >= MIN_ACCESS_KEY_ID_LENGTH && accessKeyXid.length() <= MAX_ACCESS_KEY_ID_LENGTH,
          "accessKeyXid", "accessKeyXid must be " + MIN_ACCESS_KEY_ID_LENGTH + " to " + MAX_ACCESS_KEY_ID_LENGTH
              + " characters (was " + accessKeyXid.length() + ")");
      v.check(WORD.matcher(accessKeyXid).matches(), "accessKeyXid",
          "accessKeyXid must hold word characters only (letters, digits and _)");
    }

    private void validateSecretAccessKey(ValidationException.Collector v) {
      if (secretAccessKey.isEmpty()) {
        return;
      }
      String key = secretAccessKey.get().reveal();
      v.check(!key.isEmpty() && key.length() <= MAX_SECRET_ACCESS_KEY_LENGTH
              && key.chars().noneMatch(c -> c < 0x21 || c > 0x7e),
          "secretAccessKey", "secretAccessKey must be 1 to " + MAX_SECRET_ACCESS_KEY_LENGTH
              + " visible ASCII characters without spaces (was " + key.length() + " characters)");
    }

    private void validateRegion(ValidationException.Collector v) {
      if (awsRegion == null || awsRegion.isEmpty()) {
        v.add("awsRegion", "awsRegion is required");
        return;
      }
      v.check(awsRegion.length() <= 50 && REGION.matcher(awsRegion).matches(), "awsRegion",
          "awsRegion must be an AWS region name such as us-east-1, eu-central-1 or us-gov-west-1 (was '"
              + shorten(awsRegion) + "')");
    }

    private void validateEndpoint(ValidationException.Collector v) {
      if (endpoint == null) {
        return;
      }
      if (endpoint.isBlank()) {
        v.add("endpoint", "endpoint must not be blank: leave it unset to use AWS's own endpoint");
        return;
      }
      UrlRules.check(v, "endpoint", endpoint, MAX_ENDPOINT_LENGTH, false, "the access key authenticates requests");
    }

    /**
     * Checks {@code name} against S3's rules for general purpose bucket names, recording one violation
     * per broken rule on field {@code bucketName}.
     */
    static void validateBucketName(ValidationException.Collector v, String name) {
      if (name == null || name.isEmpty()) {
        v.add("bucketName", "bucketName is required");
        return;
      }
      String shown = "(was '" + shorten(name) + "')";
      v.check(name.length() >= MIN_BUCKET_NAME_LENGTH && name.length() <= MAX_BUCKET_NAME_LENGTH, "bucketName",
          "bucketName must be " + MIN_BUCKET_NAME_LENGTH + " to " + MAX_BUCKET_NAME_LENGTH + " characters (was "
              + name.length() + ")");
      boolean charactersOk = BUCKET_CHARACTERS.matcher(name).matches();
      v.check(charactersOk, "bucketName",
          "bucketName must hold only lowercase letters, digits, dots and hyphens " + shown);
      v.check(isLetterOrDigit(name.charAt(0)) && isLetterOrDigit(name.charAt(name.length() - 1)), "bucketName",
          "bucketName must begin and end with a lowercase letter or digit " + shown);
      v.check(!name.contains(".."), "bucketName", "bucketName must not contain two adjacent dots " + shown);
      v.check(!IPV4_FORM.matcher(name).matches(), "bucketName",
          "bucketName must not be formatted as an IP address " + shown);
      for (String prefix : RESERVED_PREFIXES) {
        v.check(!name.startsWith(prefix), "bucketName",
            "bucketName must not start with '" + prefix + "', which S3 reserves " + shown);
      }
      for (String suffix : RESERVED_SUFFIXES) {
        v.check(!name.endsWith(suffix), "bucketName",
            "bucketName must not end with '" + suffix + "', which S3 reserves " + shown);
      }
    }

    private static boolean isLetterOrDigit(char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static String shorten(String s) {
      return MessageText.shown(s);
    }
  }
}
