package io.auditstream.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.DestinationDraft;
import io.auditstream.api.destination.GcpLoggingDestinationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's Google Cloud Logging options: with {@code --gcp-project} the demo streams to a Cloud
 * Logging destination instead of an HTTP one. The private key file may be the service account's
 * JSON key file (its {@code private_key}, and its {@code client_email} unless {@code
 * --gcp-client-email} is given) or the PEM alone. Immutable.
 *
 * @param project the Google Cloud project id, or {@code null} when the demo streams over HTTP
 * @param clientEmail the service account's email
 * @param privateKeyPem the private key, or {@code null} (only with {@code plaintext})
 * @param logId the log id, or {@code null} for the default
 * @param endpoint the Logging API's {@code host:port}, or {@code null} for Google's
 * @param tokenServerUri the OAuth token endpoint, or {@code null} for Google's
 * @param plaintext no TLS and no credentials, for a local Logging-compatible server
 */
record GcpDemoOptions(String project, String clientEmail, String privateKeyPem, String logId, String endpoint,
    String tokenServerUri, boolean plaintext) implements CloudTarget {

  static final List<String> USAGE = List.of(
      "  --gcp-project ID             stream to Google Cloud Logging in this project instead of HTTP",
      "  --gcp-client-email EMAIL     the service account's email (default: client_email of the key file)",
      "  --gcp-private-key-file PATH  the service account's JSON key file, or its private key as PKCS#8 PEM",
      "  --gcp-log-id ID              the log to write to (default audit-events)",
      "  --gcp-endpoint HOST:PORT     the Cloud Logging API to use instead of Google's",
      "  --gcp-token-server-uri URL   the OAuth token endpoint to use instead of Google's (https, unless",
      "                               --allow-plain-http, or --allow-local-network for one on the local network)",
      "  --gcp-plaintext              no TLS and no credentials, for a local Logging-compatible server;",
      "                               needs --gcp-endpoint (and --allow-local-network on loopback)");

  private static final String PLAINTEXT_EMAIL = "demo@%s.iam.gserviceaccount.com";

  /** The log name and the API endpoint. */
  @Override
  public String describe() {
    return "Cloud Logging " + config().logName() + " at "
        + (endpoint == null ? "the Google Cloud Logging API" : endpoint) + (plaintext ? " (plaintext)" : "");
  }

  /** The demo's Cloud Logging destination, named {@code demo-gcp}. */
  @Override
  public DestinationDraft draft(List<String> eventTypeFilter) {
    return DestinationDraft.builder(config()).name("demo-gcp").eventTypeFilter(eventTypeFilter).build();
  }

  private GcpLoggingDestinationConfig config() {
    return GcpLoggingDestinationConfig.builder()
        .googleProjectIdName(project)
        .clientEmail(clientEmail)
        .privateKey(privateKeyPem)
        .logIdName(logId)
        .endpoint(endpoint)
        .tokenServerUri(tokenServerUri)
        .plaintext(plaintext)
        .build();
  }

  /** Collects the {@code --gcp-*} options of a command line. Not thread-safe. */
  static final class Parser {
    private String project;
    private String clientEmail;
    private Path keyFile;
    private String logId;
    private String endpoint;
    private String tokenServerUri;
    private boolean plaintext;
    private boolean any;

    /**
     * Parses the option at {@code args[i]} if it is one of these; returns the index of the last
     * argument it used, or {@code -1} when the option is not a {@code --gcp-*} option.
     */
    int parse(String[] args, int i) throws DemoOptions.UsageException {
      String option = args[i];
      switch (option) {
        case "--gcp-project" -> project = DemoOptions.value(args, i + 1, option);
        case "--gcp-client-email" -> clientEmail = DemoOptions.value(args, i + 1, option);
        case "--gcp-private-key-file" -> keyFile = DemoOptions.path(DemoOptions.value(args, i + 1, option), option);
        case "--gcp-log-id" -> logId = DemoOptions.value(args, i + 1, option);
        case "--gcp-endpoint" -> endpoint = DemoOptions.value(args, i + 1, option);
        case "--gcp-token-server-uri" -> tokenServerUri = DemoOptions.value(args, i + 1, option);
        case "--gcp-plaintext" -> {
          plaintext = true;
          any = true;
          return i;
        }
        default -> {
          return -1;
        }
      }
      any = true;
      return i + 1;
    }

    /** The options, reading the key file if one was given. */
    GcpDemoOptions build() throws DemoOptions.UsageException {
      if (!any) {
        return null;
      }
      if (project == null) {
        throw new DemoOptions.UsageException("--gcp-project is required with the other --gcp-* options");
      }
      String pem = null;
      String email = clientEmail;
      if (keyFile != null) {
        String text;
        try {
          text = Files.readString(keyFile);
        } catch (IOException | RuntimeException e) {
          throw new DemoOptions.UsageException("--gcp-private-key-file cannot be read: " + keyFile);
        }
        if (text.stripLeading().startsWith("{")) {
          JsonNode json;
          try {
            json = new ObjectMapper().readTree(text);
          } catch (IOException e) {
            // Jackson's message may quote the file, key included.
            throw new DemoOptions.UsageException("--gcp-private-key-file is not a valid JSON key file: " + keyFile);
          }
          pem = json.path("private_key").isTextual() ? json.get("private_key").asText() : null;
          if (pem == null) {
            throw new DemoOptions.UsageException("--gcp-private-key-file has no private_key field: " + keyFile);
          }
          if (email == null && json.path("client_email").isTextual()) {
            email = json.get("client_email").asText();
          }
        } else {
          pem = text;
        }
      } else if (!plaintext) {
        throw new DemoOptions.UsageException("--gcp-private-key-file is required unless --gcp-plaintext is given");
      }
      if (email == null) {
        if (!plaintext) {
          throw new DemoOptions.UsageException("--gcp-client-email is required (or a JSON key file that has it)");
        }
        email = String.format(PLAINTEXT_EMAIL, project);
      }
      GcpDemoOptions options = new GcpDemoOptions(project, email, pem, logId, endpoint, tokenServerUri, plaintext);
      try {
        options.config();
      } catch (ValidationException e) {
        // The config's messages name the field and the rule, never the key.
        throw new DemoOptions.UsageException(e.getMessage());
      }
      return options;
    }
  }

  @Override
  public String toString() {
    return "GcpDemoOptions{project=" + project + ", clientEmail=" + clientEmail + ", privateKey="
        + (privateKeyPem == null ? "not set" : "set") + ", logId=" + logId + ", endpoint=" + endpoint
        + ", tokenServerUri=" + (tokenServerUri == null ? "default" : "set") + ", plaintext=" + plaintext + "}";
  }
}
