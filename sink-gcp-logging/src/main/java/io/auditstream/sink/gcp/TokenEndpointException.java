package io.auditstream.sink.gcp;

import java.io.IOException;

/**
 * Why a token request failed, as the token transport words it: the message names the token host and
 * port and what went wrong, never the request's content, so the sink may repeat it in a destination's
 * last error. {@link #refusedAddress()} tells a refusal by the network policy apart. Internal.
 */
final class TokenEndpointException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean refusedAddress;

  TokenEndpointException(String message) {
    this(message, false);
  }

  TokenEndpointException(String message, boolean refusedAddress) {
    super(message);
    this.refusedAddress = refusedAddress;
  }

  /** Whether the token host resolved to an address the network policy refuses: retrying cannot help. */
  boolean refusedAddress() {
    return refusedAddress;
  }
}
