package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of an HTTP destination: where events are POSTed, with which {@code Content-Type},
 * which custom headers go along, and whether many events share one POST ({@link #batching()}; off by
 * default: one POST per event, as GitLab sends them).
 *
 * <p>Rules (checked by {@link Builder#build()}): {@code destinationUrl} is an absolute {@code http}
 * or {@code https} URL of at most 255 characters with a host and no user info; {@code contentType}
 * is a media type of at most {@value #MAX_CONTENT_TYPE_LENGTH} characters that follows {@link
 * HeaderText}'s rule (so both HTTP transports send it unchanged); at most {@value #MAX_HEADERS} headers with distinct keys (ignoring case).
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows header keys, never their values.
 */
public final class HttpDestinationConfig implements DestinationConfig {
  /** The kind name of HTTP destinations. */
  public static final String KIND = "http";
  /** The contract of HTTP destinations. */
  public static final DestinationKind<HttpDestinationConfig> DESTINATION_KIND = new HttpDestinationKind();
  /** The documented default {@code Content-Type} of streamed events. */
  public static final String DEFAULT_CONTENT_TYPE = "application/x-www-form-urlencoded";
  /** The longest a destination URL may be, in characters. */
  public static final int MAX_URL_LENGTH = 255;
  /** The longest a content type may be, in characters. */
  public static final int MAX_CONTENT_TYPE_LENGTH = 255;
  /** The most custom headers one HTTP destination may have. */
  public static final int MAX_HEADERS = 20;

  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=[^;\\p{Cntrl}]+)*");

  private final String destinationUrl;
  private final String contentType;
  private final List<HttpHeader> headers;
  private final HttpBatching batching;

  private HttpDestinationConfig(Builder b) {
    this.destinationUrl = b.destinationUrl;
    this.contentType = b.contentType;
    this.headers = b.headers.stream().map(h -> new HttpHeader(h.key(), h.value(), h.active())).toList();
    this.batching = b.batching;
  }

  /** A new builder with no URL, the default content type, no headers and batching off. */
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
    headers.forEach(b::header);
    b.batching = batching;
    return b;
  }

  @Override
  public DestinationKind<HttpDestinationConfig> destinationKind() {
    return DESTINATION_KIND;
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

  /**
   * How events are batched, when they are: several in one POST as NDJSON; see {@link HttpBatching}.
   * Empty (the default): one POST per event.
   */
  public Optional<HttpBatching> batching() {
    return Optional.ofNullable(batching);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpDestinationConfig c
        && destinationUrl.equals(c.destinationUrl)
        && contentType.equals(c.contentType)
        && headers.equals(c.headers)
        && Objects.equals(batching, c.batching);
  }

  @Override
  public int hashCode() {
    return Objects.hash(destinationUrl, contentType, headers, batching);
  }

  @Override
  public String toString() {
    // Paths and queries of webhook URLs often embed a key, so only scheme, host and port are shown.
    URI uri = uri();
    String shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() && uri.getRawQuery() == null ? "" : "/...");
    return "HttpDestinationConfig{destinationUrl=" + shown + ", contentType=" + contentType
        + ", headers=" + headers.stream().map(HttpHeader::key).toList()
        + ", batching=" + (batching == null ? "off" : batching) + "}";
  }

  /**
   * Builds an {@link HttpDestinationConfig}. Headers are checked by {@link #build()}, each violation
   * naming its header ({@code headers[2].value}). Not thread-safe.
   */
  public static final class Builder implements DestinationConfigBuilder<HttpDestinationConfig> {
    /** A header as given, checked only when the config is built. */
    private record Entry(String key, String value, boolean active) {
      boolean hasKey(String other) {
        return key != null && key.equalsIgnoreCase(other);
      }
    }

    private String destinationUrl;
    private String contentType = DEFAULT_CONTENT_TYPE;
    private final List<Entry> headers = new ArrayList<>();
    private HttpBatching batching;

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

    /**
     * Sends several events in one POST, as NDJSON, within {@code batching}'s bounds; {@code null} (the
     * default) turns batching off: one POST per event.
     */
    public Builder batching(HttpBatching batching) {
      this.batching = batching;
      return this;
    }

    /** Adds a header. */
    public Builder header(HttpHeader header) {
      Objects.requireNonNull(header, "header");
      return header(header.key(), header.value(), header.active());
    }

    /** Adds an active header; checked by {@link #build()}. */
    public Builder header(String key, String value) {
      return header(key, value, true);
    }

    /** Adds a header; checked by {@link #build()}. */
    public Builder header(String key, String value, boolean active) {
      headers.add(new Entry(key, value, active));
      return this;
    }

    /** Replaces all headers; checked by {@link #build()}. */
    public Builder headers(List<HttpHeader> headers) {
      this.headers.clear();
      headers.forEach(this::header);
      return this;
    }

    /**
     * Replaces all headers with {@code headers}, as {@link #headers(List)} does; none removes them all.
     * Throws {@link NullPointerException} for a null array or entry.
     */
    public Builder headers(HttpHeader... headers) {
      return headers(List.of(headers));
    }

    /**
     * Replaces the header with {@code key} (ignoring case).
     *
     * @throws io.auditstream.api.NotFoundException when there is none
     */
    public Builder replaceHeader(String key, HttpHeader header) {
      Objects.requireNonNull(header, "header");
      for (int i = 0; i < headers.size(); i++) {
        if (headers.get(i).hasKey(key)) {
          headers.set(i, new Entry(header.key(), header.value(), header.active()));
          return this;
        }
      }
      throw new io.auditstream.api.NotFoundException("no header with key '" + key + "'");
    }

    /**
     * Removes the header with {@code key} (ignoring case).
     *
     * @throws io.auditstream.api.NotFoundException when there is none
     */
    public Builder removeHeader(String key) {
      if (!headers.removeIf(h -> h.hasKey(key))) {
        throw new io.auditstream.api.NotFoundException("no header with key '" + key + "'");
      }
      return this;
    }

    /**
     * @throws ValidationException naming each field that breaks a rule, a header's by its place
     *     ({@code headers[2].value})
     */
    @Override
    public HttpDestinationConfig build() {
      ValidationException.Collector v = ValidationException.collector();
      UrlRules.check(v, "destinationUrl", destinationUrl, MAX_URL_LENGTH, true, "send credentials in a custom header");
      if (!HeaderText.isSendable(contentType)) {
        v.add("contentType", "contentType " + HeaderText.describe(contentType));
      } else {
        // Only sendable text reaches the message, so nothing in it can break a log line.
        v.check(contentType.length() <= MAX_CONTENT_TYPE_LENGTH && MEDIA_TYPE.matcher(contentType).matches(),
            "contentType", "contentType must be a media type of at most " + MAX_CONTENT_TYPE_LENGTH
                + " characters such as application/json (was '"
                + io.auditstream.api.MessageText.shown(contentType) + "')");
      }
      v.check(headers.size() <= MAX_HEADERS, "headers",
          "headers must number at most " + MAX_HEADERS + " per destination (was " + headers.size() + ")");
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < headers.size(); i++) {
        Entry h = headers.get(i);
        String prefix = "headers[" + i + "].";
        HttpHeader.validate(v, prefix, h.key(), h.value());
        if (h.key() != null) {
          String key = h.key().toLowerCase(Locale.ROOT);
          // A repeated key is a valid token (or already refused), so showing it cannot break a line.
          v.check(!seen.contains(key), prefix + "key", prefix + "key must be unique per destination ('"
              + (HeaderText.isSendable(h.key()) ? h.key() : "?") + "' is already present)");
          seen.add(key);
        }
      }
      v.throwIfAny();
      return new HttpDestinationConfig(this);
    }
  }
}
