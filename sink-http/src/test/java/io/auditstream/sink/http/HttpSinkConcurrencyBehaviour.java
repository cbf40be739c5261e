package io.auditstream.sink.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.auditstream.api.destination.HttpDestinationConfig;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.Sink;
import io.auditstream.testing.Await;
import io.auditstream.testing.SinkTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several deliveries of one destination in flight at once, asynchronously, on a receiver that holds
 * requests and counts them. Every transport runs these.
 */
abstract class HttpSinkConcurrencyBehaviour extends TransportUnderTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Counts what it is asked to run: deliveries to an allowed host need no blocking work. */
  private final AtomicInteger blockingTasks = new AtomicInteger();
  private final Executor blockingExecutor = task -> {
    blockingTasks.incrementAndGet();
    task.run();
  };

  @Test
  void sixteenDeliveriesOfOneDestinationAreInFlightAtOnceWithoutBlockingWork() throws Exception {
    try (HoldingServer server = HoldingServer.start();
        Sink sink = sink(HttpDestinationConfig.of(server.url("/audit")), SinkTestKit.loopbackContext())) {
      assertThat(sink.maxInFlight()).isEqualTo(HttpSinkProvider.MAX_IN_FLIGHT).isEqualTo(16);

      List<CompletableFuture<Void>> deliveries = new ArrayList<>();
      for (int i = 0; i < sink.maxInFlight(); i++) {
        deliveries.add(sink.deliverAsync(List.of(TestEvents.event("user_created")), blockingExecutor));
      }
      Await.until(WAIT, () -> server.holding() == 16, "the receiver to hold 16 requests at once");
      assertThat(deliveries).noneMatch(CompletableFuture::isDone);
      server.release();

      CompletableFuture.allOf(deliveries.toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(server.maxHolding()).isEqualTo(16);
      assertThat(server.answered()).isEqualTo(16);
      assertThat(blockingTasks).hasValue(0);
    }
  }

  @Test
  void closingASinkFailsItsDeliveriesInFlightRetryablyAndLeavesTheOtherSinksOfItsProviderWorking()
      throws Exception {
    HttpSinkProvider provider = provider();
    try (HoldingServer server = HoldingServer.start()) {
      Sink closing = provider.create(SinkTestKit.destination(HttpDestinationConfig.of(server.url("/a"))),
          SinkTestKit.loopbackContext());
      Sink other = provider.create(SinkTestKit.destination(HttpDestinationConfig.of(server.url("/b"))),
          SinkTestKit.loopbackContext());
      CompletableFuture<Void> inFlight = closing.deliverAsync(List.of(TestEvents.event("user_created")),
          blockingExecutor);
      Await.until(WAIT, () -> server.holding() == 1, "the receiver to hold the request");

      closing.close();
      Throwable error = catchThrowable(() -> inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      server.release();

      assertThat(error).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DeliveryException.class);
      DeliveryException e = (DeliveryException) error.getCause();
      assertThat(e.isRetryable()).isTrue();
      assertThat(e).hasMessageContaining("closed");
      other.deliverAsync(List.of(TestEvents.event("user_created")), blockingExecutor)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      other.close();
      assertThat(provider.openTransports()).isZero();
    }
  }
}
