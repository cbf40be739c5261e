package io.auditstream.testing;

import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationId;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.api.sink.DeliveryException;
import io.auditstream.api.sink.EncodedEvent;
import io.auditstream.api.sink.Sink;
import io.auditstream.api.sink.SinkContext;
import io.auditstream.api.sink.SinkProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sink provider whose sinks record every event in memory instead of sending it anywhere, and can
 * be told to fail. For host applications' tests: give each test its own ({@link #create()}) and
 * hand it to {@code AuditStreamer.Builder.addSinkProvider}. Each provider records into itself
 * only, so tests that run in parallel never see each other's events.
 *
 * <p>By default it serves kind {@value RecordingDestinationKind#KIND} ({@link
 * TestDestinations#draft()}); {@link #create(DestinationKind)} makes one that stands in for another
 * kind ({@code http}, say) so that a test exercises the real management rules of that kind without
 * the network.
 *
 * <p>Thread-safe. Waiting methods are bounded by the timeout they take.
 */
public final class RecordingSinkProvider implements SinkProvider {
  /** The kind of destination it serves unless created for another. */
  public static final String KIND = RecordingDestinationKind.KIND;

  private final DestinationKind<?> kind;
  private final Recordings recordings = new Recordings();
  // The name each destination had when its latest sink was made, for assertion messages.
  private final Map<DestinationId, String> names = new ConcurrentHashMap<>();

  private RecordingSinkProvider(DestinationKind<?> kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** A provider of kind {@value #KIND} with recordings of its own. */
  public static RecordingSinkProvider create() {
    return new RecordingSinkProvider(RecordingDestinationConfig.DESTINATION_KIND);
  }

  /** A provider that stands in for {@code kind}'s real one, with recordings of its own. */
  public static RecordingSinkProvider create(DestinationKind<?> kind) {
    return new RecordingSinkProvider(kind);
  }

  @Override
  public DestinationKind<?> destinationKind() {
    return kind;
  }

  @Override
  public Sink create(Destination destination, SinkContext context) {
    names.put(destination.id(), destination.name());
    return new RecordingSink(destination.id(), destination.name());
  }

  /** Every event received so far, in order of receipt. */
  public List<ReceivedEvent> received() {
    return recordings.snapshot(null);
  }

  /** The events one destination received, in order. */
  public List<ReceivedEvent> received(DestinationId destination) {
    return recordings.snapshot(destination);
  }

  /** Waits until at least {@code count} events were received in all, at most {@code timeout}. */
  public boolean awaitReceived(int count, Duration timeout) throws InterruptedException {
    return recordings.await(count, timeout);
  }

  /**
   * Makes the next {@code attempts} delivery attempts (to any destination of this provider) fail;
   * retryable failures are retried by the engine, permanent ones are not.
   */
  public RecordingSinkProvider failNextAttempts(int attempts, boolean retryable) {
    recordings.failNext(attempts, retryable);
    return this;
  }

  /** The name of {@code destination} when this provider last made a sink for it, if it ever did. */
  Optional<String> destinationName(DestinationId destination) {
    return Optional.ofNullable(names.get(destination));
  }

  /** How many sinks this provider created that were closed since. */
  public int closedSinks() {
    return recordings.closed();
  }

  /** Forgets everything received and any pending failures. */
  public void clear() {
    recordings.clear();
  }

  private final class RecordingSink implements Sink {
    private final DestinationId id;
    private final String name;
    private final Map<String, Integer> attempts = new HashMap<>();

    RecordingSink(DestinationId id, String name) {
      this.id = id;
      this.name = name;
    }

    @Override
    public void deliver(List<EncodedEvent> batch) throws DeliveryException {
      for (EncodedEvent e : batch) {
        attempts.merge(e.event().id(), 1, Integer::sum);
      }
      recordings.maybeFail();
      for (EncodedEvent e : batch) {
        recordings.add(new ReceivedEvent(id, name, e.event(), e.jsonString(), attempts.remove(e.event().id())));
      }
    }

    @Override
    public void close() {
      recordings.sinkClosed();
    }
  }

  /** What one provider recorded. */
  private static final class Recordings {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<ReceivedEvent> events = new ArrayList<>();
    private int failuresLeft;
    private boolean failRetryable;
    private int closed;

    void add(ReceivedEvent e) {
      lock.lock();
      try {
        events.add(e);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    List<ReceivedEvent> snapshot(DestinationId destination) {
      lock.lock();
      try {
        return events.stream().filter(e -> destination == null || e.destinationId().equals(destination)).toList();
      } finally {
        lock.unlock();
      }
    }

    boolean await(int count, Duration timeout) throws InterruptedException {
      long nanos = timeout.toNanos();
      lock.lock();
      try {
        while (events.size() < count) {
          if (nanos <= 0) {
            return false;
          }
          nanos = changed.awaitNanos(nanos);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }

    void failNext(int attempts, boolean retryable) {
      lock.lock();
      try {
        failuresLeft = attempts;
        failRetryable = retryable;
      } finally {
        lock.unlock();
      }
    }

    void maybeFail() throws DeliveryException {
      lock.lock();
      try {
        if (failuresLeft <= 0) {
          return;
        }
        failuresLeft--;
      } finally {
        lock.unlock();
      }
      throw failRetryable
          ? DeliveryException.retryable("test sink: injected retryable failure")
          : DeliveryException.permanent("test sink: injected permanent failure");
    }

    void sinkClosed() {
      lock.lock();
      try {
        closed++;
      } finally {
        lock.unlock();
      }
    }

    int closed() {
      lock.lock();
      try {
        return closed;
      } finally {
        lock.unlock();
      }
    }

    void clear() {
      lock.lock();
      try {
        events.clear();
        failuresLeft = 0;
      } finally {
        lock.unlock();
      }
    }
  }
}
