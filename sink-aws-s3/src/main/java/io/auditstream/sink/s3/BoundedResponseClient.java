package io.auditstream.sink.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The S3 sink's HTTP client, with a bound on how much of a response body the SDK gets to read. A {@code
 * PutObject} is answered with headers, and on failure with an error document of a few hundred bytes; the SDK
 * parses that document into memory as it reads it, so an endpoint that sends an endless body (a broken proxy,
 * a hostile store) would fill the heap until the request timeout ends the attempt, and closing a body that
 * was not read to its end reads the rest of it, to reuse the connection. Past {@value #MAX_BODY_BYTES} bytes
 * a body reads as ended, and closing it drops the connection instead; the SDK then reports the status with
 * what it could parse. Internal; as thread-safe as the client it wraps.
 */
final class BoundedResponseClient implements SdkHttpClient {
  /** The most bytes of a response body read; the rest is never read. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private final SdkHttpClient delegate;

  BoundedResponseClient(SdkHttpClient delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest call = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        HttpExecuteResponse response = call.call();
        if (response.responseBody().isEmpty()) {
          return response;
        }
        AbortableInputStream body = response.responseBody().get();
        return HttpExecuteResponse.builder().response(response.httpResponse())
            .responseBody(AbortableInputStream.create(new BoundedBody(body), body)).build();
      }

      @Override
      public void abort() {
        call.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** A body that ends after {@link #MAX_BODY_BYTES}; closed once it got there, it drops the connection. */
  private static final class BoundedBody extends InputStream {
    private final AbortableInputStream body;
    private int left = MAX_BODY_BYTES;

    BoundedBody(AbortableInputStream body) {
      this.body = body;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (left == 0) {
        return -1;
      }
      int n = body.read(b, off, Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public int available() throws IOException {
      return Math.min(body.available(), left);
    }

    @Override
    public void close() throws IOException {
      if (left == 0) {
        // Closing alone would read the rest of the body, for as long as the endpoint keeps sending it.
        body.abort();
      }
      body.close();
    }
  }
}
