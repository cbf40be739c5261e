package io.auditstream.examples.demo;

import io.auditstream.api.MessageText;
import io.auditstream.api.ValidationException;
import io.auditstream.api.spi.SecretKeys;
import io.auditstream.examples.customsink.JsonLinesFileConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's command line, parsed. Immutable.
 *
 * @param destinationUrl where to stream; {@code null} starts a local receiver instead
 * @param verificationToken the token to give the destination; {@code null} lets it be generated
 * @param events how many sample events to stream
 * @param contentType the Content-Type of each request; {@code null} for the default
 * @param headers custom headers, in order
 * @param eventTypeFilter event types the destination receives; empty for all
 * @param allowLocalNetwork whether destinations on loopback or private addresses are allowed
 * @param allowPlainHttp whether credentials may travel over plain {@code http://} to public hosts
 * @param jsonlRoot the folder the plug-in destinations write in, each group in its own sub-folder
 * @param jsonlFile where a second, plug-in destination writes JSON lines, relative to the group's folder
 *     in {@code jsonlRoot} or absolute inside it; {@code null} for none
 * @param jsonlSigningKey the key that signs those lines; {@code null} lets the demo generate one
 * @param cloud the S3 bucket or Cloud Logging log to stream to instead of HTTP; {@code null} for none
 * @param dataDir the folder of the embedded durable store; {@code null} keeps everything in memory
 * @param postgres the PostgreSQL database of a durable store shared with other demo processes; {@code null}
 *     for none
 * @param drain whether to deliver what is pending in the durable store and stream no new events
 * @param signingSecret the secret that signs every HTTP request (Standard Webhooks); {@code null} for none
 */
record DemoOptions(
    String destinationUrl,
    String verificationToken,
    int events,
    String contentType,
    List<Map.Entry<String, String>> headers,
    List<String> eventTypeFilter,
    boolean allowLocalNetwork,
    boolean allowPlainHttp,
    Path jsonlRoot,
    String jsonlFile,
    String jsonlSigningKey,
    boolean help,
    CloudTarget cloud,
    Path dataDir,
    PostgresTarget postgres,
    boolean drain,
    String signingSecret) {

  static final String USAGE = String.join("\n", concat(List.of(
      "usage: java -jar audit-stream-demo.jar [options]",
      "",
      "With no options, starts a local receiver and streams sample events to it.",
      "",
      "  --destination-url URL        stream to this http(s) URL instead of a local receiver",
      "  --verification-token T       the destination's verification token (16 to 24 characters)",
      "  --signing-secret whsec_KEY   sign every request (headers webhook-id, webhook-timestamp, webhook-signature);",
      "                               KEY is the base64 of 24 to 64 random bytes",
      "  --events N                   how many sample events to stream (default 10)",
      "  --content-type CT            Content-Type of each request (default application/x-www-form-urlencoded)",
      "  --header NAME=VALUE          a custom header; repeatable, at most 20",
      "  --event-type-filter TYPE     only stream events of this type; repeatable",
      "  --allow-local-network        allow destinations on loopback, private or link-local addresses",
      "  --allow-plain-http           allow http:// URLs to public hosts, although the token, headers and other",
      "                               credentials then travel unencrypted (for a TLS-terminating egress proxy)",
      "  --jsonl-file PATH            also stream to a plug-in destination that appends signed JSON lines to PATH,",
      "                               relative to the group's folder ROOT/acme, or absolute inside it",
      "  --jsonl-root ROOT            the existing folder plug-in destinations write in (default: the working folder)",
      "  --jsonl-signing-key KEY      the key that signs those lines, " + JsonLinesFileConfig.MIN_SIGNING_KEY_LENGTH
          + " to " + JsonLinesFileConfig.MAX_SIGNING_KEY_LENGTH + " visible ASCII characters",
      "                               (default: a random key of " + DemoApplication.GENERATED_SIGNING_KEY_LENGTH
          + " characters, printed once at start)",
      "  --data-dir DIR               keep destinations and undelivered events in an embedded durable store in DIR;",
      "                               prints accepted=N once every event is stored, before delivery ends",
      "  --postgres-url JDBC_URL      keep them in PostgreSQL instead, shared by every demo process given the same",
      "                               database: they reuse one stored destination and share delivery",
      "  --postgres-user NAME         the PostgreSQL user",
      "  --postgres-password PW       the user's password (default: the PGPASSWORD environment variable)",
      "  --secret-keys ID:BASE64KEY   with --postgres-url, required: the AES-256 key (32 bytes, base64) that encrypts",
      "                               destination secrets in the database, the same for every demo process; several",
      "                               separated by commas, current first (default: AUDIT_STREAM_SECRET_KEYS)",
      "  --drain                      with --data-dir or --postgres-url: deliver what is pending there, stream no new",
      "                               events, and end with delivered=N failed=M pending=K"),
      S3DemoOptions.USAGE, GcpDemoOptions.USAGE, List.of("  --help                       show this help")));

  /** A command line the demo cannot run with; its message is one line. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static DemoOptions parse(String... args) throws UsageException {
    String url = null;
    String token = null;
    int events = 10;
    String contentType = null;
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    List<String> types = new ArrayList<>();
    boolean allowLocal = false;
    boolean allowPlain = false;
    Path jsonlRoot = null;
    String jsonl = null;
    String jsonlKey = null;
    boolean help = false;
    Path dataDir = null;
    String postgresUrl = null;
    String postgresUser = null;
    String postgresPassword = System.getenv("PGPASSWORD");
    String secretKeys = System.getenv("AUDIT_STREAM_SECRET_KEYS");
    boolean secretKeysGiven = false;
    boolean drain = false;
    String signingSecret = null;
    GcpDemoOptions.Parser gcp = new GcpDemoOptions.Parser();
    S3DemoOptions.Parser s3 = new S3DemoOptions.Parser(System.getenv());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--destination-url" -> url = value(args, ++i, arg);
        case "--verification-token" -> token = value(args, ++i, arg);
        case "--events" -> events = count(value(args, ++i, arg));
        case "--content-type" -> contentType = value(args, ++i, arg);
        case "--header" -> headers.add(header(value(args, ++i, arg)));
        case "--event-type-filter" -> types.add(value(args, ++i, arg));
        case "--allow-local-network" -> allowLocal = true;
        case "--allow-plain-http" -> allowPlain = true;
        case "--jsonl-file" -> jsonl = value(args, ++i, arg);
        case "--jsonl-root" -> jsonlRoot = path(value(args, ++i, arg), arg);
        case "--jsonl-signing-key" -> jsonlKey = value(args, ++i, arg);
        case "--data-dir" -> dataDir = path(value(args, ++i, arg), arg);
        case "--postgres-url" -> postgresUrl = value(args, ++i, arg);
        case "--postgres-user" -> postgresUser = value(args, ++i, arg);
        case "--postgres-password" -> postgresPassword = value(args, ++i, arg);
        case "--secret-keys" -> {
          secretKeys = value(args, ++i, arg);
          secretKeysGiven = true;
        }
        case "--drain" -> drain = true;
        case "--signing-secret" -> signingSecret = value(args, ++i, arg);
        case "--help", "-h" -> help = true;
        default -> {
          int last = s3.parse(args, i);
          if (last < 0) {
            last = gcp.parse(args, i);
          }
          if (last < 0) {
            throw new UsageException("unknown option '" + MessageText.shown(arg) + "' (see --help)");
          }
          i = last;
        }
      }
    }
    if (jsonlKey != null && jsonl == null) {
      throw new UsageException("--jsonl-signing-key needs --jsonl-file");
    }
    if (jsonlRoot != null && jsonl == null) {
      throw new UsageException("--jsonl-root needs --jsonl-file");
    }
    if (jsonl != null) {
      jsonlRoot = jsonlRoot != null ? jsonlRoot : Path.of("").toAbsolutePath();
      if (!java.nio.file.Files.isDirectory(jsonlRoot)) {
        throw new UsageException("--jsonl-root must be an existing folder (was '" + MessageText.shown(jsonlRoot.toString())
            + "')");
      }
    }
    if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:")) {
      throw new UsageException("--postgres-url must be a JDBC URL starting with jdbc:postgresql: (was '"
          + MessageText.shown(postgresUrl.split("[?;]", 2)[0]) + "')");
    }
    if (postgresUrl == null && postgresUser != null) {
      throw new UsageException("--postgres-user needs --postgres-url");
    }
    if (secretKeysGiven && postgresUrl == null) {
      throw new UsageException("--secret-keys needs --postgres-url (the embedded store generates its own key file)");
    }
    if (postgresUrl != null && dataDir != null) {
      throw new UsageException("--data-dir and --postgres-url exclude each other: choose one durable store");
    }
    SecretKeys keys = null;
    if (postgresUrl != null) {
      if (secretKeys == null || secretKeys.isBlank()) {
        throw new UsageException("--postgres-url needs --secret-keys ID:BASE64KEY (or AUDIT_STREAM_SECRET_KEYS): the"
            + " key that encrypts destination secrets, the same for every demo process (openssl rand -base64 32)");
      }
      try {
        keys = SecretKeys.parse(secretKeys);
      } catch (ValidationException e) {
        throw new UsageException("--secret-keys: " + e.getMessage());
      }
    }
    if (drain && dataDir == null && postgresUrl == null) {
      throw new UsageException("--drain needs --data-dir or --postgres-url: it delivers what is pending there");
    }
    CloudTarget s3Target = s3.build();
    CloudTarget gcpTarget = gcp.build();
    if ((s3Target != null ? 1 : 0) + (gcpTarget != null ? 1 : 0) + (url != null ? 1 : 0) > 1) {
      throw new UsageException("--destination-url, --s3-bucket and --gcp-project exclude each other: choose one destination");
    }
    if (signingSecret != null && (s3Target != null || gcpTarget != null)) {
      throw new UsageException("--signing-secret signs HTTP requests: it excludes --s3-bucket and --gcp-project");
    }
    return new DemoOptions(url, token, events, contentType, List.copyOf(headers), List.copyOf(types), allowLocal,
        allowPlain, jsonlRoot, jsonl, jsonlKey, help, s3Target != null ? s3Target : gcpTarget, dataDir,
        postgresUrl == null ? null : new PostgresTarget(postgresUrl, postgresUser, postgresPassword, keys), drain,
        signingSecret);
  }

  /** {@code args[i]}, the value of {@code option}; also used by the S3 and Cloud Logging option parsers. */
  static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  /** {@code value} as a path, or a usage error naming {@code option}; also used by the Cloud Logging options. */
  static Path path(String value, String option) throws UsageException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(option + " must be a path this system can represent (" + e.getReason() + ")");
    }
  }

  private static int count(String value) throws UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new UsageException("--events must be a whole number from 1 to 1000000 (was '" + MessageText.shown(value) + "')");
  }

  private static Map.Entry<String, String> header(String value) throws UsageException {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("--header must be NAME=VALUE (was '" + MessageText.shown(value.split("=", 2)[0]) + "...')");
    }
    return Map.entry(value.substring(0, eq), value.substring(eq + 1));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }
}
