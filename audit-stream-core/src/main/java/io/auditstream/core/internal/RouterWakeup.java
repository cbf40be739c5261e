package io.auditstream.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the routing thread waits for events, and when the host's threads wake it: rarely, so that handing
 * over an event is not a system call. Internal; may change without notice.
 *
 * <p>The routing thread, finding its ingress empty, first naps: short parks that grow from {@value
 * #MIN_NAP_MICROS} µs to {@value #MAX_NAP_MICROS} µs, during which nobody wakes it for an ordinary event,
 * so an event waits at most about a millisecond while events flow. A nap does not shorten again while
 * events trickle in: a steady flow is taken a nap's worth at a time, not with a wake-up per event, which
 * on a small machine costs more than routing the event. Only a burst wakes a napping router:
 * the producer whose event makes the ingress hold {@code wakeDepth} events (a batch, or a quarter of a
 * small bound), so that a nap cannot let the ingress fill up. After {@value #NAP_PHASE_MILLIS} ms without
 * an event the router sleeps, for up to {@value #SLEEP_MILLIS} ms at a time (an idle engine wakes about
 * once a second), and the first event streamed then wakes it at once. A producer pays one volatile read
 * for this, two while the router naps, and, rarely, an unpark: one compare-and-set on {@code state}
 * decides which producer wakes the router, so it is woken once, not once per producer.
 *
 * <p>No event is left waiting by a sleeping router: before it sleeps, the router says so ({@code state},
 * volatile) and then looks at the ingress again; a producer claims its slot (a compare-and-set) and then
 * reads {@code state}. Of two threads each writing one volatile and then reading the other's, at least one
 * sees the other's write: either the router sees the event and does not sleep, or the producer sees the
 * router asleep and wakes it.
 *
 * <p>Thread-safe: {@link #added} and {@link #full} from any thread; {@link #nap} and {@link #sleep} from
 * the routing thread alone, after {@link #wakes} named it.
 */
final class RouterWakeup {
  static final long MIN_NAP_MICROS = 50;
  static final long MAX_NAP_MICROS = 1_000;
  /** The level of the longest nap: {@link #napNanos} of it and above is {@value #MAX_NAP_MICROS} µs. */
  static final int LONGEST_NAP_LEVEL = 5;
  /**
   * How long the router naps, in all, before it sleeps: a host that streams at least this often never
   * pays for waking it.
   */
  static final long NAP_PHASE_MILLIS = 50;
  /** The longest sleep: an idle router looks at its ingress this often, in case, and to notice a stop. */
  static final long SLEEP_MILLIS = 1_000;
  /** The most events a napping router leaves in the ingress before a producer wakes it. */
  static final int MAX_WAKE_DEPTH = EventRouter.MAX_BATCH;

  private static final int RUNNING = 0;
  private static final int NAPPING = 1;
  private static final int SLEEPING = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RouterWakeup.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * How long the router naps, in all, before it sleeps (by default {@value #NAP_PHASE_MILLIS} ms), and the
   * longest it sleeps ({@value #SLEEP_MILLIS} ms); tests shorten the one and lengthen the other.
   */
  record Timing(Duration napPhase, Duration sleep) {
    static final Timing DEFAULT = new Timing(Duration.ofMillis(NAP_PHASE_MILLIS), Duration.ofMillis(SLEEP_MILLIS));
  }

  private final IngressQueue ingress;
  private final long wakeDepth;
  private final int napRounds;
  private final long sleepNanos;
  // The routing thread's own: empty naps in a row since it last found work, and the level of the next nap.
  private int idleRounds;
  private int napLevel;
  // RUNNING until the router first waits: an event streamed before the router runs wakes nobody.
  private volatile int state = RUNNING;
  private volatile Thread router;

  /**
   * @param ingress the router's ingress: a napping router is woken when it holds a quarter of its bound
   *     (one event, for a bound below 8), or {@value #MAX_WAKE_DEPTH} events
   */
  RouterWakeup(IngressQueue ingress, Timing timing) {
    this.ingress = ingress;
    this.wakeDepth = Math.max(1, Math.min(MAX_WAKE_DEPTH, ingress.capacity() / 4));
    this.napRounds = roundsWithin(timing.napPhase().toNanos());
    this.sleepNanos = timing.sleep().toNanos();
  }

  /** Names the routing thread; before it runs. */
  void wakes(Thread routingThread) {
    this.router = routingThread;
  }

  /**
   * An event was claimed at {@code index} of the ingress: wakes the router if it sleeps, or if it naps and
   * the ingress now holds {@code wakeDepth} events. One volatile read while the router runs, two while it
   * naps.
   */
  void added(long index) {
    int s = state;
    if (s == RUNNING) {
      return;
    }
    if (s == NAPPING && index + 1 - ingress.taken() < wakeDepth) {
      return;
    }
    if (STATE.compareAndSet(this, s, RUNNING)) {
      LockSupport.unpark(router);
    }
  }

  /** The ingress refused an event for want of room: the router should take what is there now. */
  void full() {
    int s = state;
    if (s != RUNNING && STATE.compareAndSet(this, s, RUNNING)) {
      LockSupport.unpark(router);
    }
  }

  /** How long a nap of level {@code round} lasts (the first is level 0), in nanoseconds. */
  static long napNanos(int round) {
    long micros = MIN_NAP_MICROS << Math.min(round, LONGEST_NAP_LEVEL);
    return TimeUnit.MICROSECONDS.toNanos(Math.min(MAX_NAP_MICROS, micros));
  }

  /** The router found work: a nap phase starts over, and the next nap keeps its length. Routing thread only. */
  void worked() {
    idleRounds = 0;
  }

  /** Whether the next {@link #idle} sleeps: a whole nap phase passed without work. Routing thread only. */
  boolean sleepsNext() {
    return idleRounds >= napRounds;
  }

  /** How long the next nap lasts, in nanoseconds. Routing thread only. */
  long nextNapNanos() {
    return napNanos(napLevel);
  }

  /**
   * The router found its ingress empty: naps, each nap longer than the last up to the longest; or, once a
   * nap phase passed without work, sleeps (see {@link #sleep}), after which the naps start short again.
   * Routing thread only.
   */
  void idle(BooleanSupplier empty) {
    if (sleepsNext()) {
      sleep(empty);
      napLevel = 0;
      return;
    }
    idleRounds++;
    nap(napNanos(napLevel));
    napLevel = Math.min(napLevel + 1, LONGEST_NAP_LEVEL);
  }

  /** How many naps in a row, with no event, before the router sleeps. */
  int napRounds() {
    return napRounds;
  }

  private static int roundsWithin(long nanos) {
    long total = 0;
    int rounds = 0;
    while (total < nanos) {
      total += napNanos(rounds++);
    }
    return rounds;
  }

  /** Whether the router sleeps now (and so the next event wakes it). */
  boolean sleeping() {
    return state == SLEEPING;
  }

  /** Parks the routing thread for {@code nanos}, or until a producer wakes it. */
  void nap(long nanos) {
    state = NAPPING;
    park(nanos);
    state = RUNNING;
  }

  /**
   * Parks the routing thread until a producer wakes it or its longest sleep passed, unless {@code
   * empty} says there is work (then it naps the longest nap instead: an event whose producer has claimed
   * its slot and not yet published it is there, and will be soon).
   */
  void sleep(BooleanSupplier empty) {
    state = SLEEPING;
    if (empty.getAsBoolean()) {
      park(sleepNanos);
      state = RUNNING;
    } else {
      state = RUNNING;
      nap(TimeUnit.MICROSECONDS.toNanos(MAX_NAP_MICROS));
    }
  }

  private void park(long nanos) {
    LockSupport.parkNanos(this, nanos);
    // An interrupt (a stop, which the loop notices by its flag) would make every later park return at once.
    Thread.interrupted();
  }
}
