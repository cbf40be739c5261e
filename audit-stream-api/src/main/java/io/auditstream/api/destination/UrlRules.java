package io.auditstream.api.destination;

import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.NetworkAddressPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of every URL a destination config holds (an HTTP destination's URL, an S3 endpoint, a
 * token server): absolute {@code http} or {@code https}, a host (not a number other than a dotted-decimal
 * IPv4 address), a port from 1 to 65535 when one is given, no user info, a bounded length.
 * Messages name the field and never quote the URL, whose path or query may hold a key.
 */
final class UrlRules {
  private UrlRules() {}

  /**
   * Checks {@code url} of {@code field}, recording at most one violation.
   *
   * @param allowQuery whether a query and fragment may be present
   * @param userInfoHint what to do instead of user info, appended to that rule's message
   * @return the parsed URI, or null when a rule is broken
   */
  static URI check(ValidationException.Collector v, String field, String url, int maxLength, boolean allowQuery,
      String userInfoHint) {
    if (url == null || url.isBlank()) {
      v.add(field, field + " is required");
      return null;
    }
    if (url.length() > maxLength) {
      v.add(field, field + " must be at most " + maxLength + " characters (was " + url.length() + ")");
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      v.add(field, field + " must be a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      v.add(field, field + " must use http or https (was '" + (uri.getScheme() == null ? "" : uri.getScheme()) + "')");
    } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
      v.add(field, field + " must name a host");
    } else if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      // java.net.URI takes any number as a port; no transport could ever connect to one out of range.
      v.add(field, field + " port must be 1 to 65535 (was " + uri.getPort() + ")");
    } else if (uri.getRawUserInfo() != null) {
      v.add(field, field + " must not contain user info: " + userInfoHint);
    } else if (!allowQuery && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
      v.add(field, field + " must not have a query or fragment");
    } else {
      Optional<String> spelling = NetworkAddressPolicy.hostSpellingRefusal(field, uri.getHost());
      if (spelling.isEmpty()) {
        return uri;
      }
      v.add(field, spelling.get());
    }
    return null;
  }
}
