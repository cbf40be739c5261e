package io.auditstream.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The router's ingress: a bounded, lock-free queue of accepted events, each with a stamp when its producer
 * gives one (a {@code long} kept beside it, so that stamping an event allocates nothing), for many
 * producers (the host's threads) and one consumer at a time (the routing thread; {@link EventRouter#stop}
 * when it takes back what was left). Internal; may change without notice.
 *
 * <p>Why not {@link java.util.concurrent.ArrayBlockingQueue}: its offer takes a lock and signals a waiting
 * consumer, which on a queue the router waits on means a system call on nearly every offer; here an offer
 * is one compare-and-set and a store or two, and waking the consumer is the {@link EventRouter}'s business.
 *
 * <p>How: producers claim an index with a compare-and-set on {@code producerIndex}, write the stamp if
 * they give one, then publish the element with a release store; the consumer reads a slot with an
 * acquire load, so a claimed slot whose element is still null is "not yet": it is taken on a later
 * drain. A producer sees room by {@code consumerIndex} (read again only when its cached limit says
 * full), so the bound is exact: at most {@code capacity} events are ever claimed and not yet taken.
 * {@link #close} sets a bit of {@code producerIndex}, which makes every later claim fail: an offer is
 * either claimed before the close, and then taken by a drain, or refused; never lost between the two.
 *
 * <p>Thread-safe: {@link #offer}, {@link #close}, {@link #claimed}, {@link #isEmpty} from any thread;
 * {@link #drain} from one thread at a time (callers serialise it with a lock).
 */
final class IngressQueue {
  /** The largest bound: array sizes are powers of two. */
  static final int MAX_CAPACITY = 1 << 30;
  /** What {@link #offer} answers when the queue holds {@code capacity} events. */
  static final long FULL = -1;
  /** What {@link #offer} answers after {@link #close}. */
  static final long CLOSED = -2;

  private static final long CLOSED_BIT = 1L << 62;
  private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle PRODUCER_LIMIT;
  private static final VarHandle CONSUMER_INDEX;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PRODUCER_INDEX = lookup.findVarHandle(IngressQueue.class, "producerIndex", long.class);
      PRODUCER_LIMIT = lookup.findVarHandle(IngressQueue.class, "producerLimit", long.class);
      CONSUMER_INDEX = lookup.findVarHandle(IngressQueue.class, "consumerIndex", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int capacity;
  private final int mask;
  private final Object[] elements;
  private final long[] stamps;
  // Claims so far (and CLOSED_BIT once closed); written by producers' compare-and-set.
  private volatile long producerIndex;
  // A lower bound of producerIndex's room (consumerIndex + capacity, as last read), so that an offer reads
  // the consumer's index only when this says full.
  private volatile long producerLimit;
  // Events taken so far; written by the consumer alone.
  private volatile long consumerIndex;

  /**
   * @param capacity the most events held at once, 1 to {@link #MAX_CAPACITY}
   * @throws IllegalArgumentException when {@code capacity} is out of that range
   */
  IngressQueue(int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("ingressCapacity must be 1 to " + MAX_CAPACITY + " (was " + capacity + ")");
    }
    int size = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
    this.capacity = capacity;
    this.mask = size - 1;
    this.elements = new Object[size];
    this.stamps = new long[size];
    this.producerLimit = capacity;
  }

  /** The bound given at construction. */
  int capacity() {
    return capacity;
  }

  /**
   * Adds {@code element} with {@code stamp}. Never blocks; lock-free.
   *
   * @return the index it was claimed at (0 for the first event ever, 1 for the next, ...), or {@link #FULL}
   *     or {@link #CLOSED}
   */
  long offer(Object element, long stamp) {
    long index = claim();
    if (index >= 0) {
      int slot = (int) (index & mask);
      stamps[slot] = stamp;
      ELEMENTS.setRelease(elements, slot, element);
    }
    return index;
  }

  /** As {@link #offer(Object, long)}, without a stamp: the one {@link #drain} gives for it is meaningless. */
  long offer(Object element) {
    long index = claim();
    if (index >= 0) {
      ELEMENTS.setRelease(elements, (int) (index & mask), element);
    }
    return index;
  }

  /** Claims the next index, or answers {@link #FULL} or {@link #CLOSED}. */
  private long claim() {
    long limit = producerLimit;
    long index;
    do {
      index = producerIndex;
      if ((index & CLOSED_BIT) != 0) {
        return CLOSED;
      }
      if (index >= limit) {
        limit = consumerIndex + capacity;
        if (index >= limit) {
          return FULL;
        }
        // Racing producers may store older limits: each is still a lower bound, since the true one only grows.
        producerLimit = limit;
      }
    } while (!PRODUCER_INDEX.compareAndSet(this, index, index + 1));
    return index;
  }

  /**
   * Moves up to {@code max} events, oldest first, into {@code into} and their stamps into {@code
   * intoStamps}, from index 0; stops early at an empty slot (the queue is empty, or the event there is
   * still being published). One consumer at a time.
   *
   * @return how many were moved
   */
  int drain(Object[] into, long[] intoStamps, int max) {
    long index = consumerIndex;
    int n = 0;
    while (n < max) {
      int slot = (int) (index & mask);
      Object e = ELEMENTS.getAcquire(elements, slot);
      if (e == null) {
        break;
      }
      intoStamps[n] = stamps[slot];
      into[n++] = e;
      ELEMENTS.setOpaque(elements, slot, null);
      index++;
    }
    if (n > 0) {
      // Released after the slots were read and cleared: a producer that sees the room reuses them safely.
      CONSUMER_INDEX.setRelease(this, index);
    }
    return n;
  }

  /** Refuses every offer from now on; the events claimed before stay to be drained. Idempotent. */
  void close() {
    PRODUCER_INDEX.getAndBitwiseOr(this, CLOSED_BIT);
  }

  /** How many events were ever accepted (claimed). */
  long claimed() {
    return producerIndex & ~CLOSED_BIT;
  }

  /** How many events were ever taken by {@link #drain}. */
  long taken() {
    return consumerIndex;
  }

  /**
   * Whether no event is claimed and not yet taken, including one whose producer has claimed its slot and
   * not yet published it (the queue is then not empty). Two volatile reads.
   */
  boolean isEmpty() {
    return consumerIndex == claimed();
  }
}
