package io.auditstream.core.internal;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.sink.DeliveryAttempt;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sinks of kind {@code test} that record every attempt and every accepted event, and behave as a
 * test scripts them per destination (accept, fail, block; or answer asynchronously, several in flight).
 * Thread-safe.
 */
final class TestSinkProvider implements SinkProvider {
  static final String KIND = "test";

  /** What a sink does with a batch; returning normally accepts it. */
  @FunctionalInterface
  interface Behaviour {
    void deliver(List<EncodedEvent> batch) throws DeliveryException;
  }

  /** Fails the first {@code times} attempts with {@code failure}, then accepts. */
  static Behaviour failFirst(int times, DeliveryException failure) {
    AtomicInteger calls = new AtomicInteger();
    return batch -> {
      if (calls.incrementAndGet() <= times) {
        throw failure;
      }
    };
  }

  /**
   * What an asynchronous sink does with a batch: the future completes normally when the destination
   * accepted it. The sink follows the SPI's rules around it: once closed it fails what is still in flight,
   * and every delivery after, as retryable.
   */
  @FunctionalInterface
  interface AsyncBehaviour {
    CompletableFuture<Void> deliver(List<EncodedEvent> batch);
  }

  private final Map<DestinationId, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<DestinationId, AsyncBehaviour> asyncBehaviours = new ConcurrentHashMap<>();
  private final Map<DestinationId, Integer> maxInFlight = new ConcurrentHashMap<>();
  private final Set<DestinationId> ignoringClose = ConcurrentHashMap.newKeySet();
  private final Map<DestinationId, Integer> batchSizes = new ConcurrentHashMap<>();
  private final Map<DestinationId, Long> batchBytes = new ConcurrentHashMap<>();
  private final Map<DestinationId, java.time.Duration> lingers = new ConcurrentHashMap<>();
  private final List<TestSink> sinks = new CopyOnWriteArrayList<>();
  private final Object monitor = new Object();
  private volatile java.util.concurrent.CountDownLatch creationEntered;
  private volatile java.util.concurrent.CountDownLatch creationRelease;

  @Override
  public io.auditstream.api.destination.DestinationKind<?> destinationKind() {
    return new io.auditstream.core.fixtures.TestKind(KIND);
  }

  @Override
  public Sink create(Destination destination, SinkContext context) {
    java.util.concurrent.CountDownLatch release = creationRelease;
    if (release != null) {
      creationRelease = null;
      creationEntered.countDown();
      try {
        // Bounded, so a broken test fails instead of hanging.
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TestSink sink = new TestSink(destination);
    sinks.add(sink);
    return sink;
  }

  /**
   * Makes the next {@link #create} count down {@code entered} and then wait for {@code release}
   * (at most 10 seconds) before it makes the sink.
   */
  void holdNextCreation(java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch release) {
    this.creationEntered = entered;
    this.creationRelease = release;
  }

  /** Scripts what the sinks of {@code id} do from now on. */
  void behave(DestinationId id, Behaviour behaviour) {
    behaviours.put(id, behaviour);
  }

  /**
   * Makes the sinks of {@code id} asynchronous from now on, allowing {@code maxInFlight} deliveries in flight
   * at once, each answered as {@code behaviour} says.
   */
  void answerAsync(DestinationId id, int maxInFlight, AsyncBehaviour behaviour) {
    this.maxInFlight.put(id, maxInFlight);
    asyncBehaviours.put(id, behaviour);
  }

  /** Makes the asynchronous sinks of {@code id} leave what is in flight unanswered when they are closed. */
  void ignoreClose(DestinationId id) {
    ignoringClose.add(id);
  }

  /** The most deliveries the sinks of {@code id} had in flight at once (each sink counted alone). */
  int maxConcurrency(DestinationId id) {
    return sinksFor(id).stream().mapToInt(sink -> sink.maxConcurrency.get()).max().orElse(0);
  }

  /** How many deliveries the sinks of {@code id} have in flight now. */
  int inFlight(DestinationId id) {
    return sinksFor(id).stream().mapToInt(sink -> sink.inFlight.get()).sum();
  }

  /** Lets the sinks of {@code id} take batches of up to {@code size}. */
  void batchSize(DestinationId id, int size) {
    batchSizes.put(id, size);
  }

  /** Lets the sinks of {@code id} take batches of up to {@code bytes} of JSON. */
  void batchBytes(DestinationId id, long bytes) {
    batchBytes.put(id, bytes);
  }

  /** Lets the engine hold a batch's first event of {@code id} back for {@code linger}. */
  void linger(DestinationId id, java.time.Duration linger) {
    lingers.put(id, linger);
  }

  /** Every sink created for {@code id}, oldest first. */
  List<TestSink> sinksFor(DestinationId id) {
    return sinks.stream().filter(s -> s.destination.id().equals(id)).toList();
  }

  /** Every event accepted for {@code id}, in order. */
  List<EncodedEvent> delivered(DestinationId id) {
    List<EncodedEvent> out = new ArrayList<>();
    sinksFor(id).forEach(s -> out.addAll(s.delivered));
    return out;
  }

  /** How many deliveries each attempt of {@code id} found in flight, itself included, in order. */
  List<Integer> concurrencyAtStart(DestinationId id) {
    List<Integer> out = new ArrayList<>();
    sinksFor(id).forEach(s -> out.addAll(s.concurrencyAtStart));
    return out;
  }

  /** Every attempted batch for {@code id}, in order. */
  List<List<EncodedEvent>> attempts(DestinationId id) {
    List<List<EncodedEvent>> out = new ArrayList<>();
    sinksFor(id).forEach(s -> out.addAll(s.attempts));
    return out;
  }

  /** Waits (at most 10 seconds) until {@code id} has accepted {@code count} events. */
  boolean awaitDelivered(DestinationId id, int count) throws InterruptedException {
    return await(() -> delivered(id).size() >= count);
  }

  /** Waits (at most 10 seconds) until {@code id} has seen {@code count} attempts. */
  boolean awaitAttempts(DestinationId id, int count) throws InterruptedException {
    return await(() -> attempts(id).size() >= count);
  }

  private boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (monitor) {
      while (!condition.getAsBoolean()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, remaining);
      }
      return true;
    }
  }

  private void changed() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  /** One destination's sink. */
  final class TestSink implements Sink {
    final Destination destination;
    final List<List<EncodedEvent>> attempts = new CopyOnWriteArrayList<>();
    /** The headers the engine gave each attempt for its first event, in order. */
    final List<Map<String, String>> attemptHeaders = new CopyOnWriteArrayList<>();
    final List<EncodedEvent> delivered = new CopyOnWriteArrayList<>();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxConcurrency = new AtomicInteger();
    final List<Integer> concurrencyAtStart = new CopyOnWriteArrayList<>();
    private final Set<CompletableFuture<Void>> unanswered = ConcurrentHashMap.newKeySet();

    TestSink(Destination destination) {
      this.destination = destination;
    }

    @Override
    public CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, DeliveryAttempt attempt,
        Executor blockingExecutor) {
      attemptHeaders.add(attempt.headersFor(batch.get(0)));
      return deliverAsync(batch, blockingExecutor);
    }

    @Override
    public CompletableFuture<Void> deliverAsync(List<EncodedEvent> batch, Executor blockingExecutor) {
      AsyncBehaviour async = asyncBehaviours.get(destination.id());
      if (async == null) {
        return Sink.super.deliverAsync(batch, blockingExecutor);
      }
      int now = inFlight.incrementAndGet();
      maxConcurrency.accumulateAndGet(now, Math::max);
      concurrencyAtStart.add(now);
      attempts.add(List.copyOf(batch));
      changed();
      // Whichever comes first, the destination's answer or the close, decides.
      CompletableFuture<Void> answer = new CompletableFuture<>();
      unanswered.add(answer);
      if (closed.get()) {
        answer.completeExceptionally(DeliveryException.retryable("sink of test is closed"));
      }
      async.deliver(batch).whenComplete((v, e) -> {
        if (e == null) {
          answer.complete(null);
        } else {
          answer.completeExceptionally(e);
        }
      });
      // Recorded before the engine hears of it, as the blocking sink does.
      return answer.whenComplete((v, e) -> {
        unanswered.remove(answer);
        if (e == null) {
          delivered.addAll(batch);
        }
        inFlight.decrementAndGet();
        changed();
      });
    }

    @Override
    public int maxInFlight() {
      return maxInFlight.getOrDefault(destination.id(), 1);
    }

    @Override
    public void deliver(List<EncodedEvent> batch) throws DeliveryException {
      attempts.add(List.copyOf(batch));
      changed();
      try {
        behaviours.getOrDefault(destination.id(), b -> {}).deliver(batch);
        delivered.addAll(batch);
      } finally {
        changed();
      }
    }

    @Override
    public int maxBatchSize() {
      return batchSizes.getOrDefault(destination.id(), 1);
    }

    @Override
    public long maxBatchBytes() {
      return batchBytes.getOrDefault(destination.id(), Long.MAX_VALUE);
    }

    @Override
    public java.time.Duration batchLinger() {
      return lingers.getOrDefault(destination.id(), java.time.Duration.ZERO);
    }

    @Override
    public void close() {
      closed.set(true);
      if (ignoringClose.contains(destination.id())) {
        return;
      }
      for (CompletableFuture<Void> answer : unanswered) {
        answer.completeExceptionally(DeliveryException.retryable("sink of test was closed during the request"));
      }
    }

    boolean isClosed() {
      return closed.get();
    }
  }
}
