package io.auditstream.sink.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * A local OAuth 2.0 token endpoint for the service-account flow (RFC 7523 JWT bearer grant): it
 * checks the assertion's RS256 signature with the service account's public key and its claims
 * (issuer = client email, scope, audience = Google's token endpoint, not expired) and issues a random access
 * token, which {@link #issued(String)} then recognises. Anything else gets 400 {@code invalid_grant}.
 * Over plain HTTP, or over TLS with a certificate of the test's choosing.
 */
public final class FakeTokenEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  /**
   * The audience Google's token endpoint requires of an assertion, whichever address the request is
   * sent to (a private service connect endpoint, or this fake).
   */
  public static final String AUDIENCE = "https://oauth2.googleapis.com/token";

  private final RSAPublicKey publicKey;
  private final String clientEmail;
  private final String scope;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final List<JsonNode> acceptedClaims = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final List<String> assertions = new CopyOnWriteArrayList<>();
  private final List<String> accessTokens = new CopyOnWriteArrayList<>();

  private FakeTokenEndpoint(RSAPublicKey publicKey, String clientEmail, String scope, SSLContext tls)
      throws IOException {
    this.publicKey = publicKey;
    this.clientEmail = clientEmail;
    this.scope = scope;
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 0);
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.createContext("/token", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts an endpoint that trusts {@code publicKey} as the key of {@code clientEmail}, granting {@code scope}. */
  public static FakeTokenEndpoint start(RSAPublicKey publicKey, String clientEmail, String scope) throws IOException {
    return new FakeTokenEndpoint(publicKey, clientEmail, scope, null);
  }

  /** As {@link #start}, over TLS: the endpoint presents the key and certificate of {@code tls}. */
  public static FakeTokenEndpoint startTls(RSAPublicKey publicKey, String clientEmail, String scope, SSLContext tls)
      throws IOException {
    return new FakeTokenEndpoint(publicKey, clientEmail, scope, tls);
  }

  /** The URI to give as {@code tokenServerUri}. */
  public URI uri() {
    return uri("127.0.0.1");
  }

  /** The URI to give as {@code tokenServerUri}, naming the endpoint {@code host}, which must lead to loopback. */
  public URI uri(String host) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://" + host + ":" + server.getAddress().getPort() + "/token");
  }

  /** Whether this endpoint issued {@code accessToken}. */
  public boolean issued(String accessToken) {
    return issued.contains(accessToken);
  }

  /** The claims of every assertion it accepted. */
  public List<JsonNode> acceptedClaims() {
    return acceptedClaims;
  }

  /** Every signed assertion it received, accepted or not: credentials, for tests that look for leaks. */
  public List<String> assertions() {
    return List.copyOf(assertions);
  }

  /** Every access token it issued: credentials, for tests that look for leaks. */
  public List<String> accessTokens() {
    return List.copyOf(accessTokens);
  }

  /** Why it refused each request it refused. */
  public List<String> refusals() {
    return refusals;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String refusal = null;
      String token = null;
      if (!"POST".equals(exchange.getRequestMethod())) {
        refusal = "method " + exchange.getRequestMethod();
      } else {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        refusal = check(form);
        if (refusal == null) {
          token = "ya29.test-" + UUID.randomUUID();
          issued.add(token);
          accessTokens.add(token);
        }
      }
      byte[] body;
      int status;
      if (refusal == null) {
        status = 200;
        body = ("{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")
            .getBytes(StandardCharsets.UTF_8);
      } else {
        refusals.add(refusal);
        status = 400;
        body = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"
            .getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  /** Why the grant is refused, or null when it is good. */
  private String check(Map<String, String> form) {
    if (!GRANT_TYPE.equals(form.get("grant_type"))) {
      return "grant_type " + form.get("grant_type");
    }
    String assertion = form.get("assertion");
    if (assertion != null) {
      assertions.add(assertion);
    }
    String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
    if (parts.length != 3) {
      return "assertion is not a JWT";
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      JsonNode claims = JSON.readTree(b64.decode(parts[1]));
      if (!"RS256".equals(header.path("alg").asText())) {
        return "alg " + header.path("alg").asText();
      }
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(publicKey);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(b64.decode(parts[2]))) {
        return "signature does not verify";
      }
      if (!clientEmail.equals(claims.path("iss").asText())) {
        return "iss " + claims.path("iss").asText();
      }
      if (!scope.equals(claims.path("scope").asText())) {
        return "scope " + claims.path("scope").asText();
      }
      if (!AUDIENCE.equals(claims.path("aud").asText())) {
        return "aud " + claims.path("aud").asText();
      }
      long now = Instant.now().getEpochSecond();
      if (claims.path("exp").asLong() < now || claims.path("iat").asLong() > now + 60) {
        return "expired or not yet valid";
      }
      acceptedClaims.add(claims);
      return null;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return "unreadable assertion: " + e.getClass().getSimpleName();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
