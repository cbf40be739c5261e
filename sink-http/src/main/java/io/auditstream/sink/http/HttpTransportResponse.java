package io.auditstream.sink.http;

import java.util.Optional;

/**
 * What an {@link HttpTransport} reports of a response: its status and the one header the sink reads,
 * {@code Retry-After}. The body is never kept (a receiver may echo the request, secrets included).
 * Immutable.
 */
public final class HttpTransportResponse {
  private final int statusCode;
  private final Optional<String> retryAfter;

  private HttpTransportResponse(int statusCode, Optional<String> retryAfter) {
    this.statusCode = statusCode;
    this.retryAfter = retryAfter;
  }

  /**
   * A response.
   *
   * @param statusCode the HTTP status, 100 to 599
   * @param retryAfter the value of the first {@code Retry-After} header, or null when there is none
   * @throws IllegalArgumentException when {@code statusCode} is out of range
   */
  public static HttpTransportResponse of(int statusCode, String retryAfter) {
    if (statusCode < 100 || statusCode > 599) {
      throw new IllegalArgumentException("statusCode must be 100 to 599 (was " + statusCode + ")");
    }
    return new HttpTransportResponse(statusCode, Optional.ofNullable(retryAfter));
  }

  /** The HTTP status. */
  public int statusCode() {
    return statusCode;
  }

  /** The value of the first {@code Retry-After} header, if the response had one. */
  public Optional<String> retryAfter() {
    return retryAfter;
  }

  @Override
  public String toString() {
    return "HttpTransportResponse{status=" + statusCode + "}";
  }
}
