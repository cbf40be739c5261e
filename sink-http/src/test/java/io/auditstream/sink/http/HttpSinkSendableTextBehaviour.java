package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.HeaderText;
import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.destination.HttpHeader;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.testing.SinkTestKit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing is accepted that cannot be sent: every header value, content type, event type and event id
 * that the rules accept reaches a receiver byte for byte, and a value the transport would refuse or
 * change is refused when it is saved or the event built. Checked on a receiver that keeps the raw bytes.
 */
abstract class HttpSinkSendableTextBehaviour extends TransportUnderTest {
  /** Every character a header value may hold: visible ASCII, and space and tab inside. */
  private static final String VISIBLE;
  private static final String IDENTIFIER = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";

  static {
    StringBuilder b = new StringBuilder();
    for (char c = 0x21; c <= 0x7e; c++) {
      b.append(c);
    }
    VISIBLE = b.toString();
  }

  private RawHeaderReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new RawHeaderReceiver();
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
  }

  /** Accepted header values: every visible character, spaces and tabs inside, both length limits, random mixes. */
  private static List<String> acceptedValues() {
    List<String> values = new ArrayList<>(List.of(VISIBLE, "a", "a b", "a\tb", "x \t \t y", "!" + " ".repeat(50) + "~",
        "Bearer abc.def-ghi_jkl~mno+pqr/stu=", "\"quoted\" (comment) <angle> {brace} [bracket] \\back\\",
        "~".repeat(HttpHeader.MAX_VALUE_LENGTH)));
    Random random = new Random(20261201L);
    String inner = VISIBLE + " \t";
    for (int i = 0; i < 40; i++) {
      StringBuilder b = new StringBuilder().append(VISIBLE.charAt(random.nextInt(VISIBLE.length())));
      for (int n = random.nextInt(120); n > 0; n--) {
        b.append(inner.charAt(random.nextInt(inner.length())));
      }
      values.add(b.append(VISIBLE.charAt(random.nextInt(VISIBLE.length()))).toString());
    }
    values.forEach(v -> assertThat(HeaderText.isSendable(v)).as(v).isTrue());
    return values;
  }

  private static HttpDestinationConfig.Builder config(String url) {
    return HttpDestinationConfig.builder().destinationUrl(url);
  }

  private void deliver(HttpDestinationConfig config, EncodedEvent event) throws Exception {
    try (Sink sink = sink(config, SinkTestKit.loopbackContext())) {
      sink.deliver(List.of(event));
    }
  }

  private static EncodedEvent event(String id, String eventType) {
    AuditEvent e = AuditEvent.builder().id(id).eventType(eventType).entity(EntityType.GROUP, 1L, "acme").build();
    return new EncodedEvent(e, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyAcceptedHeaderValueArrivesByteForByte() throws Exception {
    List<String> values = acceptedValues();
    for (int from = 0; from < values.size(); from += HttpDestinationConfig.MAX_HEADERS) {
      HttpDestinationConfig.Builder b = config(receiver.url("/audit"));
      List<String> sent = values.subList(from, Math.min(values.size(), from + HttpDestinationConfig.MAX_HEADERS));
      for (int i = 0; i < sent.size(); i++) {
        b.header("X-Value-" + i, sent.get(i));
      }
      deliver(b.build(), event("evt-1", "user_created"));

      RawHeaderReceiver.Request request = receiver.requests().get(receiver.requests().size() - 1);
      for (int i = 0; i < sent.size(); i++) {
        assertThat(request.values("X-Value-" + i)).as("value %s", sent.get(i)).containsExactly(sent.get(i));
      }
    }
  }

  @Test
  void everyAcceptedContentTypeArrivesByteForByte() throws Exception {
    List<String> types = List.of("application/json", "text/plain; charset=utf-8", "application/vnd.acme+json",
        "application/json;profile=\"urn:acme:audit\"", "text/plain ;  a=b~c!d#e$f&g^h_i.j+k-l",
        "application/x-www-form-urlencoded");
    for (String type : types) {
      deliver(config(receiver.url("/audit")).contentType(type).build(), event("evt-2", "user_created"));

      assertThat(receiver.requests().get(receiver.requests().size() - 1).values("Content-Type")).containsExactly(type);
    }
  }

  @Test
  void everyAcceptedEventTypeArrivesByteForByteInItsHeader() throws Exception {
    List<String> types = List.of("user_created", IDENTIFIER, "a".repeat(AuditEvent.MAX_EVENT_TYPE_LENGTH),
        "9.Z-_x", "project_deploy_token_created");
    for (String type : types) {
      EncodedEvent event = event(IDENTIFIER.substring(0, 40), type);
      deliver(config(receiver.url("/audit")).build(), event);

      RawHeaderReceiver.Request request = receiver.requests().get(receiver.requests().size() - 1);
      assertThat(request.values(HttpHeader.EVENT_TYPE_HEADER)).containsExactly(type);
      assertThat(request.body()).isEqualTo(event.json());
    }
  }

  @Test
  void theTransportItselfRefusesOrChangesTextBeyondTheRule() throws Exception {
    // Why the rule stops short of Unicode: sent around the rule, such a value fails or arrives changed.
    // (Latin-1 characters 0x80 to 0xFE go out as one byte each on both, which a receiver cannot read as
    // the text that was typed; the rule refuses them as well.)
    for (String beyond : List.of("\u0100", "\u20ac 5", "\u4e2d\u6587", "\ud83d\ude00")) {
      int before = receiver.requests().size();
      try (HttpTransport transport = transportProvider().create(SinkTestKit.loopbackContext())) {
        HttpTransportRequest request = new HttpTransportRequest("POST", java.net.URI.create(receiver.url("/raw")),
            java.util.Map.of("X-Beyond", beyond), "{}".getBytes(StandardCharsets.UTF_8),
            java.time.Duration.ofSeconds(5));
        try {
          transport.send(request).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (RuntimeException | java.util.concurrent.ExecutionException refused) {
          assertThat(receiver.requests()).hasSize(before);
          continue;
        }
      }
      assertThat(receiver.requests().get(before).values("X-Beyond")).as("sent %s", beyond)
          .isNotEqualTo(List.of(beyond));
    }
  }

  @Test
  void valuesATransportWouldRefuseOrChangeAreRefusedWhenSavedOrBuilt() {
    // Above 0x7E: the JDK refuses 0xFF and above, Apache HttpClient sends '?' for every one of them.
    for (String bad : List.of("caf\u00e9", "\u00ff", "\u0100", "\u20ac 5", "\u4e2d", "\ud83d\ude00", "\u0085", "a\u007fb",
        "a\r\nInjected: yes", "a\u0000b", " lead", "trail\t")) {
      assertThatThrownBy(() -> config(receiver.url("/audit")).header("X-Bad", bad).build())
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.field()).isEqualTo("headers[0].value"));
      assertThatThrownBy(() -> config(receiver.url("/audit")).contentType(bad + "; charset=utf-8").build())
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("contentType"));
      assertThatThrownBy(() -> event("evt-3", "user_" + bad))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("event_type"));
      assertThatThrownBy(() -> event("evt-" + bad, "user_created"))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("id"));
    }
    assertThat(receiver.requests()).isEmpty();
  }
}
