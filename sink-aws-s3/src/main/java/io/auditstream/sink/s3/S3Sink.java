package io.auditstream.sink.s3;

import io.auditstream.api.destination.S3DestinationConfig;
import io.auditstream.api.sink.CloseGuard;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.NetworkAddressPolicy;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.TlsFailures;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Delivers events of one S3 destination: one {@code PutObject} per event, the event's JSON as the
 * body, {@code application/json} as its content type, under the key {@link S3ObjectKeys#keyOf}.
 *
 * <p>Client: one {@link S3Client} per sink (so per destination and its current settings), reused for
 * every event and closed with the sink. Transport is the SDK's Apache HttpClient 5 client (no
 * Netty), with the context's connect timeout and its request timeout as socket timeout, and every
 * call bounded by {@link SinkContext#requestTimeout()}. It reads a store's early rejection (a 403
 * for a bad signature) as the answer it is, where {@code HttpURLConnection} reports a failed write.
 * Response bodies are read up to {@value BoundedResponseClient#MAX_BODY_BYTES} bytes ({@link
 * BoundedResponseClient}), so an answer that never ends holds neither memory nor the connection.
 * The SDK's own retries are off: the engine retries, with backoff, and keeps the destination's
 * health. Credentials are the destination's static access key.
 *
 * <p>With an endpoint override (an S3-compatible store) the client uses it, path-style access as
 * configured, and computes request checksums and validates response checksums only where S3
 * requires them, since MinIO, Ceph and S3Proxy refuse the streaming trailer checksums the SDK
 * sends by default. Unless the host allows local network destinations, the endpoint's host is
 * checked against {@link NetworkAddressPolicy} with the context's {@link SinkContext#hostResolver()}
 * before every request, and the client connects only to the addresses that check returned ({@link
 * PolicyDnsResolver}).
 *
 * <p>Thread-safe: {@link #deliver} may run while {@link #close()} is called from another thread.
 */
final class S3Sink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(S3Sink.class);
  private static final String CONTENT_TYPE = "application/json";
  /** S3 error codes worth another attempt whatever their status. */
  private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout", "InternalError",
      "ServiceUnavailable", "Throttling", "ThrottlingException", "RequestLimitExceeded", "OperationAborted");

  private final S3DestinationConfig config;
  private final SinkContext context;
  private final String where;
  private final S3Client client;
  private final CloseGuard closeGuard = new CloseGuard();

  S3Sink(S3DestinationConfig config, SinkContext context) {
    this.config = Objects.requireNonNull(config, "config");
    this.context = Objects.requireNonNull(context, "context");
    this.where = "S3 bucket " + config.bucketName()
        + config.endpointUri().map(u -> " at " + NetworkAddressPolicy.hostForMessages(u))
            .orElse(" in " + config.awsRegion());
    // Building the client opens no connection; the first request does.
    this.client = buildClient(config, context);
  }

  private static S3Client buildClient(S3DestinationConfig config, SinkContext context) {
    String secret = config.secretAccessKey().value()
        .orElseThrow(() -> new IllegalArgumentException("secretAccessKey is required"))
        .reveal();
    S3ClientBuilder b = S3Client.builder()
        .httpClient(httpClient(config, context))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyXid(), secret)))
        .region(Region.of(config.awsRegion()))
        .forcePathStyle(config.pathStyleAccess())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(context.requestTimeout())
            .apiCallAttemptTimeout(context.requestTimeout())
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, context.userAgent())
            .build());
    if (config.endpointUri().isPresent()) {
      b.endpointOverride(config.endpointUri().get())
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return b.build();
  }

  private static SdkHttpClient httpClient(S3DestinationConfig config, SinkContext context) {
    Apache5HttpClient.Builder http = Apache5HttpClient.builder()
        // The JVM's trust anchors and the host's added certificates; host names are still verified.
        .tlsTrustManagersProvider(() -> new javax.net.ssl.TrustManager[] {context.trustManager()})
        .connectionTimeout(context.connectTimeout())
        .connectionAcquisitionTimeout(context.connectTimeout())
        .socketTimeout(context.requestTimeout())
        // The engine runs one attempt per destination at a time.
        .maxConnections(2);
    if (config.endpointUri().isPresent() && !context.allowLocalNetwork()) {
      http.dnsResolver(new PolicyDnsResolver(context));
    }
    return new BoundedResponseClient(http.build());
  }

  /**
   * One event per call: each event is its own object anyway, and a failure then holds back only the
   * event that failed, with exact delivered and failed counts on the destination's status.
   */
  @Override
  public int maxBatchSize() {
    return 1;
  }

  /**
   * Writes each event of {@code batch} in order; normally the batch holds one. Blocks for at most
   * the address check plus {@link SinkContext#requestTimeout()} per event.
   *
   * @throws DeliveryException retryable on 5xx, 408, 429, S3's throttling ({@code 503 SlowDown}),
   *     timeouts and I/O errors; permanent on 403 (bad keys, no permission), 404 ({@code
   *     NoSuchBucket}), other 4xx and 3xx, and refused addresses. The message names the bucket, the
   *     HTTP status and S3's error code, never the secret access key, and the access key ID only
   *     masked.
   */
  @Override
  public void deliver(List<EncodedEvent> batch) throws DeliveryException {
    for (EncodedEvent event : batch) {
      deliverOne(event);
    }
  }

  private void deliverOne(EncodedEvent event) throws DeliveryException {
    closeGuard.checkOpen(where);
    if (config.endpointUri().isPresent()) {
      Optional<String> plain = NetworkAddressPolicy.plainHttpRefusal("endpoint", config.endpointUri().get(),
          S3SinkProvider.CREDENTIALS, context);
      if (plain.isPresent()) {
        throw DeliveryException.permanent(plain.get());
      }
    }
    if (!context.allowLocalNetwork() && config.endpointUri().isPresent()) {
      // Before every request, not once: what a name resolves to can change after it was saved.
      NetworkAddressPolicy.check(config.endpointUri().get().getHost(), context.connectTimeout(),
          context.hostResolver());
    }
    String key = S3ObjectKeys.keyOf(event.event());
    PutObjectRequest request = PutObjectRequest.builder()
        .bucket(config.bucketName())
        .key(key)
        .contentType(CONTENT_TYPE)
        .build();
    try {
      client.putObject(request, RequestBody.fromBytes(event.json()));
    } catch (AwsServiceException e) {
      throw serviceFailure(e);
    } catch (SdkClientException e) {
      Optional<String> refused = refusal(e);
      if (refused.isPresent()) {
        throw DeliveryException.permanent(refused.get());
      }
      Optional<String> tls = TlsFailures.describe(e);
      if (tls.isPresent()) {
        throw DeliveryException.retryable("TLS handshake with " + where + " failed: " + tls.get());
      }
      throw DeliveryException.retryable("could not write to " + where + ": " + describe(e));
    } catch (SdkException | IllegalStateException e) {
      closeGuard.checkNotClosedDuring(where);
      throw DeliveryException.retryable("unexpected error writing to " + where + ": " + e.getClass().getSimpleName());
    }
    LOG.debug("wrote event {} to {} as {}", event.event().id(), where, key);
  }

  private DeliveryException serviceFailure(AwsServiceException e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String prefix = where + " answered HTTP " + status + (code == null || code.isBlank() ? "" : " " + code);
    if (status == 408 || status == 429 || status >= 500 || (code != null && TRANSIENT_CODES.contains(code))) {
      // DEBUG only: the engine logs failed deliveries once, knowing whether it will retry.
      LOG.debug("{}; retryable", prefix);
      return DeliveryException.retryable(prefix);
    }
    LOG.debug("{}; permanent", prefix);
    return DeliveryException.permanent(prefix + hint(status, code));
  }

  private String hint(int status, String code) {
    if ("NoSuchBucket".equals(code)) {
      return ": the bucket does not exist; create it or correct bucketName";
    }
    if (status == 403) {
      return ": check the access key ID (" + config.maskedAccessKeyXid()
          + "), the secret access key, and that the key may write objects to the bucket";
    }
    if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
      return ": the bucket may be in another region than " + config.awsRegion();
    }
    return "";
  }

  /** The address policy's refusal, when the resolver refused the endpoint's addresses at connect time. */
  private static Optional<String> refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PolicyDnsResolver.RefusedAddressException) {
        return Optional.of(t.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The exception's class and its cause's, never its message, which may quote the request. */
  private static String describe(SdkClientException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + " (" + root.getClass().getSimpleName() + ")";
  }

  /** Closes the S3 client and its connections. Idempotent; never throws. */
  @Override
  public void close() {
    if (!closeGuard.markClosed()) {
      return;
    }
    try {
      client.close();
    } catch (RuntimeException e) {
      LOG.debug("could not close the S3 client of {}: {}", where, e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "S3Sink{bucket=" + config.bucketName() + ", region=" + config.awsRegion()
        + config.endpointUri().map(u -> ", endpoint=" + NetworkAddressPolicy.hostForMessages(u)).orElse("")
        + ", closed=" + closeGuard.isClosed() + "}";
  }

}
