package io.auditstream.api.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class DeliveryAttemptTest {
  private static final Instant TIME = Instant.parse("2026-03-01T10:00:05.900Z");
  private static final Map<String, String> TOKEN = Map.of("X-Gitlab-Event-Streaming-Token", "abcdefghijklmnop");

  @Test
  void anUnsignedAttemptAddsNothingToItsHeaders() {
    DeliveryAttempt attempt = DeliveryAttempt.unsigned(TIME, TOKEN);

    assertThat(attempt.signed()).isFalse();
    assertThat(attempt.headersFor("evt-1", new byte[] {1})).isEqualTo(TOKEN);
  }

  @Test
  void aSignedAttemptAddsIdTimestampInSecondsAndTheSignatureOfExactlyTheBody() {
    List<String> signed = new ArrayList<>();
    DeliveryAttempt attempt = DeliveryAttempt.signed(TIME, TOKEN, (id, timestamp, body) -> {
      signed.add(id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8));
      return "v1,c2ln";
    });

    Map<String, String> headers = attempt.headersFor("batch-9", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));

    assertThat(headers).containsExactly(Map.entry("X-Gitlab-Event-Streaming-Token", "abcdefghijklmnop"),
        Map.entry("webhook-id", "batch-9"), Map.entry("webhook-timestamp", "1772359205"),
        Map.entry("webhook-signature", "v1,c2ln"));
    assertThat(signed).containsExactly("batch-9.1772359205.{\"a\":1}\n");
  }

  @Test
  void anEventAloneIsSignedOnItsIdAndJson() {
    AuditEvent event = AuditEvent.builder().id("evt-7").eventType("user_created")
        .entity(EntityType.GROUP, 1L, "acme").build();
    List<String> ids = new ArrayList<>();
    DeliveryAttempt attempt = DeliveryAttempt.signed(TIME, TOKEN, (id, timestamp, body) -> {
      ids.add(id + ":" + body.length);
      return "v1,x";
    });

    assertThat(attempt.headersFor(new EncodedEvent(event, new byte[] {'{', '}'}))).containsEntry("webhook-id", "evt-7");
    assertThat(ids).containsExactly("evt-7:2");
  }

  @Test
  void toStringNamesTheHeadersButNeverTheirValues() {
    assertThat(DeliveryAttempt.unsigned(TIME, TOKEN).toString())
        .contains("X-Gitlab-Event-Streaming-Token").doesNotContain("abcdefghijklmnop");
  }

  @Test
  void aSinkWithoutTheAttemptFormGetsTheDeliveryWithoutIt() throws Exception {
    List<String> calls = new ArrayList<>();
    Sink sink = new Sink() {
      @Override
      public void deliver(List<EncodedEvent> batch) {
        calls.add("deliver " + batch.size());
      }
    };
    AuditEvent event = AuditEvent.builder().eventType("user_created").entity(EntityType.GROUP, 1L, "acme").build();
    Executor direct = Runnable::run;

    CompletableFuture<Void> done = sink.deliverAsync(List.of(new EncodedEvent(event, new byte[] {'{', '}'})),
        DeliveryAttempt.unsigned(TIME, TOKEN), direct);

    done.get(java.time.Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertThat(calls).containsExactly("deliver 1");
  }
}
