package io.auditstream.examples.demo;

import io.auditstream.api.spi.SecretKeys;
import java.util.Objects;

/**
 * The PostgreSQL database the demo keeps its destinations and undelivered events in, shared by every
 * demo process given the same one. Immutable; {@link #toString()} leaves the password out.
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user the user name; {@code null} for the driver's default
 * @param password the password; {@code null} for none
 * @param secretKeys the keys that encrypt destination secrets in the database
 */
record PostgresTarget(String url, String user, String password, SecretKeys secretKeys) {
  PostgresTarget {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secretKeys, "secretKeys");
  }

  /** The URL without its parameters (which may carry a password), for messages. */
  String location() {
    return url.split("[?;]", 2)[0];
  }

  @Override
  public String toString() {
    return "PostgresTarget[url=" + location() + ", user=" + user + ", password=" + (password == null ? "none" : "***")
        + ", secretKeys=" + secretKeys + "]";
  }
}
