package io.auditstream.sink.http.apache5;

import java.util.Objects;
import org.apache.hc.core5.http.Header;

/**
 * A request header whose value is sent but never printed: {@link #toString()} shows its name and
 * {@code ****}. HttpClient 5 logs every request header it sends, through the header's {@code
 * toString()}, on {@code org.apache.hc.client5.http.headers} at DEBUG, and the library cannot switch
 * that logger off; with this header type the log shows the name alone, whatever the host's logging
 * configuration. Values (the verification token, signatures, custom header values such as {@code
 * Authorization}) are written to the connection from {@link #getValue()}. Internal; may change
 * without notice. Immutable.
 */
final class UnprintedHeader implements Header {
  private final String name;
  private final String value;

  UnprintedHeader(String name, String value) {
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getValue() {
    return value;
  }

  /** True: the value may be a credential, so an HTTP/2 encoder must never index it either. */
  @Override
  public boolean isSensitive() {
    return true;
  }

  /** The name and {@code ****}: never the value. */
  @Override
  public String toString() {
    return name + ": ****";
  }
}
