package io.auditstream.sink.s3;

import io.auditstream.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 API on loopback: S3Proxy over jclouds' in-memory blob store, checking AWS signature v4
 * (or v2) against one access key. The blob store outlives {@link #stop()}, so a restart on the same
 * port finds the objects written before.
 */
final class LocalS3Server {
  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  /** One object as the server stores it. */
  record StoredObject(String key, String body, String contentType) {}

  private final BlobStoreContext blobContext;
  private final BlobStore blobStore;
  private S3Proxy proxy;
  private int port;

  private LocalS3Server() {
    blobContext = ContextBuilder.newBuilder("transient")
        .credentials("local", "local")
        .build(BlobStoreContext.class);
    blobStore = blobContext.getBlobStore();
  }

  /** Started on a free loopback port. */
  static LocalS3Server start() throws Exception {
    LocalS3Server server = new LocalS3Server();
    server.startOn(0);
    return server;
  }

  private void startOn(int wantedPort) throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(URI.create("http://127.0.0.1:" + wantedPort))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .build();
    proxy.start();
    Await.untilValue(START_TIMEOUT, proxy::getState, "STARTED"::equals, "S3Proxy to start");
    port = proxy.getPort();
  }

  /** Stops serving; the objects stay. */
  void stop() throws Exception {
    proxy.stop();
  }

  /** Serves again on the port it had, with the objects it had. */
  void restart() throws Exception {
    startOn(port);
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  void createBucket(String bucket) {
    blobStore.createContainerInLocation(null, bucket);
  }

  /** Every object of {@code bucket}, by key. */
  Map<String, StoredObject> objects(String bucket) throws IOException {
    Map<String, StoredObject> out = new TreeMap<>();
    for (String key : keys(bucket)) {
      Blob blob = blobStore.getBlob(bucket, key);
      try (InputStream in = blob.getPayload().openStream()) {
        out.put(key, new StoredObject(key, new String(in.readAllBytes(), StandardCharsets.UTF_8),
            blob.getMetadata().getContentMetadata().getContentType()));
      }
    }
    return out;
  }

  /** The keys of {@code bucket}, following pages. */
  List<String> keys(String bucket) {
    List<String> keys = new ArrayList<>();
    ListContainerOptions options = ListContainerOptions.Builder.recursive();
    while (true) {
      PageSet<? extends StorageMetadata> page = blobStore.list(bucket, options);
      page.forEach(m -> keys.add(m.getName()));
      if (page.getNextMarker() == null) {
        return keys;
      }
      options = ListContainerOptions.Builder.recursive().afterMarker(page.getNextMarker());
    }
  }

  /** Stops serving and drops every object. */
  void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      blobContext.close();
    }
  }
}
