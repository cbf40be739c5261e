package io.auditstream.api.destination;

import io.auditstream.api.Secret;
import io.auditstream.api.MessageText;
import io.auditstream.api.ValidationException;
import io.auditstream.api.sink.NetworkAddressPolicy;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of a Google Cloud Logging destination: which project and log the entries go to, and
 * the service account (client email and private key) that writes them.
 *
 * <p>Rules (checked by {@link Builder#build()}, every violation reported at once):
 * {@code googleProjectIdName} is 6 to 30 characters matching {@code ^[a-z][a-z0-9-]*[a-z0-9]$};
 * {@code clientEmail} is an email address of at most 254 characters; {@code logIdName} matches
 * {@code ^[\w/.-]+$} and is at most 511 characters ({@value #DEFAULT_LOG_ID} unless set); {@code
 * privateKey}, when present, looks like a PEM block (whether it is a readable PKCS#8 RSA key is
 * checked by the sink provider when the destination is saved); {@code endpoint}, when present, is
 * {@code host:port} (an IPv6 literal in brackets); {@code tokenServerUri}, when present, is an
 * absolute {@code http} or {@code https} URI with a host and no user info; {@code plaintext} needs an
 * {@code endpoint}.
 *
 * <p>The private key is a {@link WriteOnlySecret}: it is optional in the builder so that an update
 * may leave it out and keep the stored one; a listed copy has it redacted, while {@link
 * #hasPrivateKey()} still says one is set. The engine refuses to save a destination without one
 * (unless {@code plaintext}).
 *
 * <p>Immutable and thread-safe. {@link #toString()} says whether a private key is set, never shows it.
 */
public final class GcpLoggingDestinationConfig implements DestinationConfig {
  /** The kind name of Google Cloud Logging destinations. */
  public static final String KIND = "gcp";
  /** The contract of Google Cloud Logging destinations. */
  public static final DestinationKind<GcpLoggingDestinationConfig> DESTINATION_KIND = new GcpLoggingDestinationKind();
  /** The log id used when none is given. */
  public static final String DEFAULT_LOG_ID = "audit-events";
  /** The longest a client email may be, in characters. */
  public static final int MAX_CLIENT_EMAIL_LENGTH = 254;
  /** The longest a log id may be, in characters. */
  public static final int MAX_LOG_ID_LENGTH = 511;
  /** The longest an endpoint or token server URI may be, in characters. */
  public static final int MAX_ENDPOINT_LENGTH = 255;

  private static final Pattern PROJECT_ID = Pattern.compile("^[a-z][a-z0-9-]*[a-z0-9]$");
  private static final Pattern LOG_ID = Pattern.compile("^[\\w/.-]+$");
  // Deliberately loose: the authority of an address is the mail server's to judge, not ours.
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");
  private static final Pattern ENDPOINT = Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})$");

  private final String googleProjectIdName;
  private final String clientEmail;
  private final WriteOnlySecret privateKey;
  private final String logIdName;
  private final String endpoint;
  private final String tokenServerUri;
  private final boolean plaintext;

  private GcpLoggingDestinationConfig(Builder b) {
    this.googleProjectIdName = b.googleProjectIdName;
    this.clientEmail = b.clientEmail;
    this.privateKey = b.privateKey;
    this.logIdName = b.logIdName;
    this.endpoint = b.endpoint;
    this.tokenServerUri = b.tokenServerUri;
    this.plaintext = b.plaintext;
  }

  /** A new builder with no fields set except the log id ({@value #DEFAULT_LOG_ID}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every setting of this config, the private key included, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.googleProjectIdName = googleProjectIdName;
    b.clientEmail = clientEmail;
    b.privateKey = privateKey;
    b.logIdName = logIdName;
    b.endpoint = endpoint;
    b.tokenServerUri = tokenServerUri;
    b.plaintext = plaintext;
    return b;
  }

  @Override
  public DestinationKind<GcpLoggingDestinationConfig> destinationKind() {
    return DESTINATION_KIND;
  }

  /** The Google Cloud project the entries are written to. */
  public String googleProjectIdName() {
    return googleProjectIdName;
  }

  /** The service account's email, the issuer of its token requests. */
  public String clientEmail() {
    return clientEmail;
  }

  /**
   * The service account's PKCS#8 private key in PEM form: present when this config carries it,
   * redacted on a listed copy, absent when not given.
   */
  public WriteOnlySecret privateKey() {
    return privateKey;
  }

  /** Whether a private key is set; also {@code true} on a listed copy of a config that has one. */
  public boolean hasPrivateKey() {
    return privateKey.isSet();
  }

  /** The log id within the project; {@value #DEFAULT_LOG_ID} unless set. */
  public String logIdName() {
    return logIdName;
  }

  /**
   * The full log name entries carry: {@code projects/<project>/logs/<log id>}, with each {@code /} of
   * the log id written as {@code %2F}, as Cloud Logging requires.
   */
  public String logName() {
    return "projects/" + googleProjectIdName + "/logs/" + logIdName.replace("/", "%2F");
  }

  /** The {@code host:port} of the Logging API to use instead of Google's, for example for private service connect. */
  public Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** The host of {@link #endpoint()}, without the brackets of an IPv6 literal. */
  public Optional<String> endpointHost() {
    return endpoint().map(e -> {
      Matcher m = ENDPOINT.matcher(e);
      m.matches();
      String host = m.group(1);
      return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    });
  }

  /** The OAuth token endpoint to use instead of Google's. */
  public Optional<URI> tokenServerUri() {
    return Optional.ofNullable(tokenServerUri).map(URI::create);
  }

  /**
   * Whether the sink talks to {@link #endpoint()} without TLS and without credentials: only for a
   * local Logging-compatible server such as a test double, and refused unless local network
   * destinations are allowed.
   */
  public boolean plaintext() {
    return plaintext;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GcpLoggingDestinationConfig c
        && googleProjectIdName.equals(c.googleProjectIdName)
        && clientEmail.equals(c.clientEmail)
        && privateKey.equals(c.privateKey)
        && logIdName.equals(c.logIdName)
        && Objects.equals(endpoint, c.endpoint)
        && Objects.equals(tokenServerUri, c.tokenServerUri)
        && plaintext == c.plaintext;
  }

  @Override
  public int hashCode() {
    return Objects.hash(googleProjectIdName, clientEmail, privateKey, logIdName, endpoint,
        tokenServerUri, plaintext);
  }

  @Override
  public String toString() {
    return "GcpLoggingDestinationConfig{googleProjectIdName=" + googleProjectIdName + ", clientEmail=" + clientEmail
        + ", privateKey=" + (hasPrivateKey() ? "set" : "not set") + ", logIdName=" + logIdName
        + (endpoint == null ? "" : ", endpoint=" + endpoint)
        + (tokenServerUri == null ? "" : ", tokenServerUri=" + tokenServerUri)
        + (plaintext ? ", plaintext=true" : "") + "}";
  }

  /** Builds a {@link GcpLoggingDestinationConfig}. Not thread-safe. */
  public static final class Builder implements DestinationConfigBuilder<GcpLoggingDestinationConfig> {
    private String googleProjectIdName;
    private String clientEmail;
    private WriteOnlySecret privateKey = WriteOnlySecret.absent();
    private String logIdName = DEFAULT_LOG_ID;
    private String endpoint;
    private String tokenServerUri;
    private boolean plaintext;

    private Builder() {}

    /** The Google Cloud project id; required. */
    public Builder googleProjectIdName(String googleProjectIdName) {
      this.googleProjectIdName = googleProjectIdName;
      return this;
    }

    /** The service account's email; required. */
    public Builder clientEmail(String clientEmail) {
      this.clientEmail = clientEmail;
      return this;
    }

    /**
     * The service account's private key, the PEM text of the {@code private_key} field of its JSON key
     * file ({@code -----BEGIN PRIVATE KEY-----}...). {@code null} leaves it unset, which an update uses
     * to keep the stored key.
     */
    public Builder privateKey(Secret privateKey) {
      return privateKey(WriteOnlySecret.ofNullable(privateKey));
    }

    /** The private key; absent or redacted leaves it unset (an update then keeps the stored key). */
    public Builder privateKey(WriteOnlySecret privateKey) {
      this.privateKey = java.util.Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /** As {@link #privateKey(Secret)}, from the PEM text. */
    public Builder privateKey(String privateKeyPem) {
      return privateKey(privateKeyPem == null ? null : Secret.of(privateKeyPem));
    }

    /** The log id; {@code null} restores {@value #DEFAULT_LOG_ID}. */
    public Builder logIdName(String logIdName) {
      this.logIdName = logIdName == null ? DEFAULT_LOG_ID : logIdName;
      return this;
    }

    /** The Logging API's {@code host:port}; {@code null} (the default) for Google's own. */
    public Builder endpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** The OAuth token endpoint; {@code null} (the default) for Google's own. */
    public Builder tokenServerUri(String tokenServerUri) {
      this.tokenServerUri = tokenServerUri;
      return this;
    }

    /** No TLS and no credentials towards {@link #endpoint(String)}; defaults to {@code false}. */
    public Builder plaintext(boolean plaintext) {
      this.plaintext = plaintext;
      return this;
    }

    /**
     * @throws ValidationException naming each field that breaks a rule; never echoes the private key
     */
    @Override
    public GcpLoggingDestinationConfig build() {
      ValidationException.Collector v = ValidationException.collector();
      validateProjectId(v);
      validateClientEmail(v);
      validateLogId(v);
      if (privateKey.isPresent()) {
        String pem = privateKey.get().reveal().strip();
        v.check(pem.startsWith("-----BEGIN ") && pem.contains("-----END "), "privateKey",
            "privateKey must be a PEM block starting with -----BEGIN PRIVATE KEY----- (the private_key field of"
                + " the service account's JSON key file)");
      }
      if (endpoint != null) {
        validateEndpoint(v);
      }
      v.check(!plaintext || endpoint != null, "plaintext", "plaintext needs an endpoint: it is only for a local"
          + " Logging-compatible server");
      if (tokenServerUri != null) {
        validateTokenServerUri(v);
      }
      v.throwIfAny();
      return new GcpLoggingDestinationConfig(this);
    }

    private void validateProjectId(ValidationException.Collector v) {
      String p = googleProjectIdName;
      if (p == null || p.isEmpty()) {
        v.add("googleProjectIdName", "googleProjectIdName is required");
      } else if (p.length() < 6 || p.length() > 30) {
        v.add("googleProjectIdName", "googleProjectIdName must be 6 to 30 characters (was " + p.length() + ")");
      } else if (!PROJECT_ID.matcher(p).matches()) {
        v.add("googleProjectIdName", "googleProjectIdName must start with a lowercase letter, hold only lowercase"
            + " letters, digits and '-', and not end with '-' (was '" + MessageText.shown(p) + "')");
      }
    }

    private void validateClientEmail(ValidationException.Collector v) {
      String e = clientEmail;
      if (e == null || e.isEmpty()) {
        v.add("clientEmail", "clientEmail is required");
      } else if (e.length() > MAX_CLIENT_EMAIL_LENGTH) {
        v.add("clientEmail", "clientEmail must be at most " + MAX_CLIENT_EMAIL_LENGTH + " characters (was "
            + e.length() + ")");
      } else if (!EMAIL.matcher(e).matches()) {
        v.add("clientEmail", "clientEmail must be an email address such as"
            + " name@project.iam.gserviceaccount.com (was '" + MessageText.shown(e) + "')");
      }
    }

    private void validateLogId(ValidationException.Collector v) {
      String l = logIdName;
      if (l.isEmpty()) {
        v.add("logIdName", "logIdName must not be empty");
      } else if (l.length() > MAX_LOG_ID_LENGTH) {
        v.add("logIdName", "logIdName must be at most " + MAX_LOG_ID_LENGTH + " characters (was " + l.length() + ")");
      } else if (!LOG_ID.matcher(l).matches()) {
        v.add("logIdName", "logIdName must hold only letters, digits, '_', '/', '.' and '-' (was '"
            + MessageText.shown(l) + "')");
      }
    }

    private void validateEndpoint(ValidationException.Collector v) {
      Matcher m = ENDPOINT.matcher(endpoint);
      if (endpoint.length() > MAX_ENDPOINT_LENGTH || !m.matches()) {
        v.add("endpoint", "endpoint must be host:port, an IPv6 address in brackets, at most "
            + MAX_ENDPOINT_LENGTH + " characters (was '"
            + MessageText.shown(endpoint) + "')");
        return;
      }
      int port = Integer.parseInt(m.group(2));
      v.check(port >= 1 && port <= 65535, "endpoint", "endpoint port must be 1 to 65535 (was " + port + ")");
      NetworkAddressPolicy.hostSpellingRefusal("endpoint", m.group(1)).ifPresent(message -> v.add("endpoint", message));
      v.check(!m.group(1).startsWith("[") || isIpv6Literal(m.group(1)), "endpoint",
          "endpoint must hold a valid IPv6 address in its brackets (was '" + MessageText.shown(m.group(1)) + "')");
    }

    /** Whether {@code bracketed} ({@code [::1]}) is an IPv6 address; a literal is parsed, never looked up. */
    private static boolean isIpv6Literal(String bracketed) {
      try {
        return java.net.InetAddress.getByName(bracketed) instanceof java.net.Inet6Address;
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }

    private void validateTokenServerUri(ValidationException.Collector v) {
      UrlRules.check(v, "tokenServerUri", tokenServerUri, MAX_ENDPOINT_LENGTH, true,
          "the service account's key authenticates requests");
    }
  }
}
