package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of an HTTP destination: where events are POSTed, with which {@code Content-Type},
 * and which custom headers go along.
 *
 * <p>Rules (checked by {@link Builder#build()}): {@code destinationUrl} is an absolute {@code http}
 * or {@code https} URL of at most 255 characters with a host and no user info; {@code contentType}
 * is a media type; at most {@value #MAX_HEADERS} headers with distinct keys (ignoring case).
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows header keys, never their values.
 */
public final class HttpDestinationConfig implements DestinationConfig {
  /** The kind name of HTTP destinations. */
  public static final String KIND = "http";
  /** The documented default {@code Content-Type} of streamed events. */
  public static final String DEFAULT_CONTENT_TYPE = "application/x-www-form-urlencoded";
  /** The longest a destination URL may be, in characters. */
  public static final int MAX_URL_LENGTH = 255;
  /** The most custom headers one HTTP destination may have. */
  public static final int MAX_HEADERS = 20;

  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=[^;\\p{Cntrl}]+)*");

  private final String destinationUrl;
  private final String contentType;
  private final List<HttpHeader> headers;

  private HttpDestinationConfig(Builder b) {
    this.destinationUrl = b.destinationUrl;
    this.contentType = b.contentType;
    this.headers = List.copyOf(b.headers);
  }

  /** A new builder with no URL, the default content type and no headers. */
  public static Builder builder() {
    return new Builder();
  }

  /** A config for {@code destinationUrl} with the default content type and no headers. */
  public static HttpDestinationConfig of(String destinationUrl) {
    return builder().destinationUrl(destinationUrl).build();
  }

  /** A builder holding every setting of this config, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.destinationUrl = destinationUrl;
    b.contentType = contentType;
    b.headers.addAll(headers);
    return b;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * The absolute {@code http} or {@code https} URL events are POSTed to. Its path or query may carry a key,
   * so treat it as sensitive when logging.
   */
  public String destinationUrl() {
    return destinationUrl;
  }

  /** The destination URL as a {@link URI}. */
  public URI uri() {
    return URI.create(destinationUrl);
  }

  /** The {@code Content-Type} of each request; {@link #DEFAULT_CONTENT_TYPE} unless set otherwise. */
  public String contentType() {
    return contentType;
  }

  /** Every custom header, active or not, in the order they were added. */
  public List<HttpHeader> headers() {
    return headers;
  }

  /** The headers that are sent. */
  public List<HttpHeader> activeHeaders() {
    return headers.stream().filter(HttpHeader::active).toList();
  }

  /** The header with {@code key} (ignoring case), if any. */
  public Optional<HttpHeader> header(String key) {
    return headers.stream().filter(h -> h.hasKey(key)).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpDestinationConfig c
        && destinationUrl.equals(c.destinationUrl)
        && contentType.equals(c.contentType)
        && headers.equals(c.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(destinationUrl, contentType, headers);
  }

  @Override
  public String toString() {
    // Paths and queries of webhook URLs often embed a key, so only scheme, host and port are shown.
    URI uri = uri();
    String shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() && uri.getRawQuery() == null ? "" : "/...");
    return "HttpDestinationConfig{destinationUrl=" + shown + ", contentType=" + contentType
        + ", headers=" + headers.stream().map(HttpHeader::key).toList() + "}";
  }

  /** Builds an {@link HttpDestinationConfig}. Not thread-safe. */
  public static final class Builder {
    private String destinationUrl;
    private String contentType = DEFAULT_CONTENT_TYPE;
    private final List<HttpHeader> headers = new ArrayList<>();

    private Builder() {}

    /** The URL events are POSTed to; required. Checked by {@link #build()}. */
    public Builder destinationUrl(String destinationUrl) {
      this.destinationUrl = destinationUrl;
      return this;
    }

    /** The {@code Content-Type} of each request; {@code null} restores the default. */
    public Builder contentType(String contentType) {
      this.contentType = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
      return this;
    }

    /** Adds a header; validated by {@link #build()}. */
    public Builder header(HttpHeader header) {
      headers.add(Objects.requireNonNull(header, "header"));
      return this;
    }

    /** Adds an active header. */
    public Builder header(String key, String value) {
      return header(HttpHeader.of(key, value));
    }

    /** Replaces all headers. */
    public Builder headers(List<HttpHeader> headers) {
      this.headers.clear();
      headers.forEach(this::header);
      return this;
    }

    /** Replaces the header with {@code key} (ignoring case). */
    public Builder replaceHeader(String key, HttpHeader header) {
      Objects.requireNonNull(header, "header");
      for (int i = 0; i < headers.size(); i++) {
        if (headers.get(i).hasKey(key)) {
          headers.set(i, header);
          return this;
        }
      }
      throw new io.auditstream.api.NotFoundException("no header with key '" + key + "'");
    }

    /** Removes the header with {@code key} (ignoring case). */
    public Builder removeHeader(String key) {
      if (!headers.removeIf(h -> h.hasKey(key))) {
        throw new io.auditstream.api.NotFoundException("no header with key '" + key + "'");
      }
      return this;
    }

    /**
     * @throws ValidationException naming each field that breaks a rule
     */
    public HttpDestinationConfig build() {
      ValidationException.Collector v = ValidationException.collector();
      validateUrl(v, destinationUrl);
      v.check(contentType.length() <= 255 && MEDIA_TYPE.matcher(contentType).matches(),
          "contentType", "contentType must be a media type such as application/json (was '"
              + (contentType.length() > 80 ? contentType.substring(0, 80) + "..." : contentType) + "')");
      v.check(headers.size() <= MAX_HEADERS, "headers",
          "headers must number at most " + MAX_HEADERS + " per destination (was " + headers.size() + ")");
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < headers.size(); i++) {
        String key = headers.get(i).key().toLowerCase(Locale.ROOT);
        v.check(!seen.contains(key), "headers[" + i + "].key",
            "headers[" + i + "].key must be unique per destination ('" + headers.get(i).key()
                + "' is already present)");
        seen.add(key);
      }
      v.throwIfAny();
      return new HttpDestinationConfig(this);
    }

    private static void validateUrl(ValidationException.Collector v, String url) {
      if (url == null || url.isBlank()) {
        v.add("destinationUrl", "destinationUrl is required");
        return;
      }
      if (url.length() > MAX_URL_LENGTH) {
        v.add("destinationUrl", "destinationUrl must be at most " + MAX_URL_LENGTH
            + " characters (was " + url.length() + ")");
        return;
      }
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        v.add("destinationUrl", "destinationUrl must be a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        return;
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        v.add("destinationUrl", "destinationUrl must use http or https (was '" + (uri.getScheme() == null ? "" : uri.getScheme()) + "')");
      } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
        v.add("destinationUrl", "destinationUrl must name a host");
      } else if (uri.getRawUserInfo() != null) {
        v.add("destinationUrl", "destinationUrl must not contain user info: send credentials in a custom header");
      }
    }
  }
}
