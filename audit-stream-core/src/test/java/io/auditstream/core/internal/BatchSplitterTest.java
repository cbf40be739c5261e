package io.auditstream.core.internal;

import static io.auditstream.core.internal.DispatcherFixture.groupEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditstream.core.AuditEventJson;
import io.auditstream.api.AuditEvent;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.spi.QueuedDelivery;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSplitterTest {
  private final BatchSplitter splitter = new BatchSplitter();

  static List<QueuedDelivery> deliveries(int count) {
    return IntStream.range(0, count).mapToObj(i -> {
      AuditEvent e = groupEvent("acme/g" + i);
      return new QueuedDelivery(DestinationId.of("acme-siem"), new EncodedEvent(e, AuditEventJson.encode(e)), Instant.EPOCH);
    }).toList();
  }

  @Test
  void leasesFullBatchesUntilABatchIsSplit() {
    assertThat(splitter.splitting()).isFalse();
    assertThat(splitter.leaseSize(10)).isEqualTo(10);
    assertThat(splitter.leaseSize(0)).isOne();
  }

  @Test
  void keepsTheFirstEventAndReleasesTheOthersInOrder() {
    List<QueuedDelivery> batch = deliveries(4);

    BatchSplitter.Split split = splitter.split(batch);

    assertThat(split.keep()).containsExactly(batch.get(0));
    assertThat(split.release()).containsExactly(batch.get(1), batch.get(2), batch.get(3));
  }

  @Test
  void leasesOneEventAtATimeUntilEachReleasedEventHadItsOwnAttempt() {
    splitter.split(deliveries(3));

    assertThat(splitter.leaseSize(10)).isOne();
    splitter.leased(1, 1);
    assertThat(splitter.leaseSize(10)).isOne();
    splitter.leased(1, 1);

    assertThat(splitter.splitting()).isFalse();
    assertThat(splitter.leaseSize(10)).isEqualTo(10);
  }

  @Test
  void anEmptyLeaseOrABatchLeaseDoesNotCountAsASingle() {
    splitter.split(deliveries(2));

    splitter.leased(1, 0);
    splitter.leased(100, 5);

    assertThat(splitter.splitting()).isTrue();
    assertThat(splitter.leaseSize(10)).isOne();
  }

  @Test
  void refusesToSplitASingleEvent() {
    assertThatThrownBy(() -> splitter.split(deliveries(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("several");
  }
}
