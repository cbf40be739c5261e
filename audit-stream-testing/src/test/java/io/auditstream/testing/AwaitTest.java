package io.auditstream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwaitTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @AfterEach
  void clearInterruptStatus() {
    // A failing interrupt test must not leave the flag set for the next test on this thread.
    Thread.interrupted();
  }

  @Test
  void returnsOnceAConditionSetByAnotherThreadHolds() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    Thread setter = new Thread(() -> {
      sleep(100);
      done.set(true);
    });
    setter.start();
    long start = System.nanoTime();

    Await.until(LONG, done::get, "the flag to be set");

    assertThat(done).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    setter.join();
  }

  @Test
  void checksAgainAfterEachPollUntilTheConditionHolds() {
    AtomicInteger checks = new AtomicInteger();

    Await.until(LONG, () -> checks.incrementAndGet() == 5, "the fifth check");

    assertThat(checks).hasValue(5);
  }

  @Test
  void returnsAtOnceWhenTheConditionAlreadyHolds() {
    AtomicInteger checks = new AtomicInteger();

    Await.until(Duration.ZERO, () -> checks.incrementAndGet() > 0, "anything");

    assertThat(checks).hasValue(1);
  }

  @Test
  void failsWithinTheBoundSayingWhatWasAwaitedWhenTheConditionNeverHolds() {
    long start = System.nanoTime();

    assertThatThrownBy(() -> Await.until(Duration.ofMillis(200), () -> false, "the receiver to answer"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Timed out after 200 ms waiting for the receiver to answer");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void checksOnceWithAZeroTimeout() {
    AtomicInteger checks = new AtomicInteger();

    assertThatThrownBy(() -> Await.until(Duration.ZERO, () -> checks.incrementAndGet() < 0, "never"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("waiting for never");
    assertThat(checks).hasValue(1);
  }

  @Test
  void returnsTheFirstAcceptedValue() {
    AtomicInteger counter = new AtomicInteger();

    int value = Await.untilValue(LONG, counter::incrementAndGet, v -> v >= 3, "a count of 3");

    assertThat(value).isEqualTo(3);
  }

  @Test
  void showsTheLastValueWhenNoValueIsAccepted() {
    assertThatThrownBy(() -> Await.untilValue(Duration.ofMillis(50), () -> "STARTING", "STARTED"::equals,
        "the server to start"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Timed out after 50 ms waiting for the server to start (last value: STARTING)");
  }

  @Test
  void failsAtOnceAndKeepsTheInterruptStatusWhenTheThreadIsAlreadyInterrupted() {
    Thread.currentThread().interrupt();
    long start = System.nanoTime();

    assertThatThrownBy(() -> Await.until(LONG, () -> false, "something that never happens"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("Interrupted while waiting for something that never happens")
        .hasCauseInstanceOf(InterruptedException.class);

    assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void failsPromptlyWhenInterruptedWhileWaiting() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    CountDownLatch waiting = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      try {
        Await.until(LONG, () -> {
          waiting.countDown();
          return false;
        }, "an interrupt");
      } catch (AssertionError e) {
        failure.set(e);
        interruptKept.set(Thread.currentThread().isInterrupted());
      }
    });
    waiter.start();
    assertThat(waiting.await(10, TimeUnit.SECONDS)).as("the waiter checked once").isTrue();

    waiter.interrupt();
    waiter.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(waiter.isAlive()).as("waiter still waiting").isFalse();
    assertThat(failure.get()).isInstanceOf(AssertionError.class)
        .hasMessage("Interrupted while waiting for an interrupt");
    assertThat(interruptKept).isTrue();
  }

  @Test
  void letsAnExceptionOfTheConditionThrough() {
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(() -> Await.until(LONG, () -> {
      throw boom;
    }, "a condition that throws")).isSameAs(boom);
  }

  @Test
  void takesAHugeTimeoutWithoutOverflow() {
    AtomicInteger checks = new AtomicInteger();

    Await.until(Duration.ofSeconds(Long.MAX_VALUE), () -> checks.incrementAndGet() == 3, "the third check");

    assertThat(checks).hasValue(3);
  }

  @Test
  void refusesANegativeTimeout() {
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(-1), () -> true, "anything"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must not be negative");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
