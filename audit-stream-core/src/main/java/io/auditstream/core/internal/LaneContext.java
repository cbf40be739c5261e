package io.auditstream.core.internal;

import io.auditstream.api.spi.DeliveryQueue;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every {@link DeliveryLane} of one dispatcher shares. Immutable; every component is
 * thread-safe.
 *
 * @param queue where deliveries wait
 * @param sinks makes the destinations' sinks
 * @param decider what becomes of failed and aged deliveries
 * @param clock the source of attempt times, ages and status timestamps
 * @param executor runs lanes' own work (lease, remove, decide), never a network call: the bounded
 *     delivery pool; a window that lands is continued there
 * @param blocking where sinks that block run {@code deliver}, handed to {@code Sink.deliverAsync}
 * @param settings the window per destination and the bound on an answer
 * @param scheduler runs a lane's next attempt after a wait
 * @param progress called after a lane finished with some deliveries, to wake {@code flush}
 * @param counters the host-level counters
 * @param listener the host's listener, for dead letters, drops and automatic pauses
 * @param observer the host's observer, for the outcome of every attempt
 * @param autoPause pauses a destination that kept failing too long
 */
record LaneContext(
    DeliveryQueue queue,
    SinkFactory sinks,
    RetryDecider decider,
    Clock clock,
    Executor executor,
    Executor blocking,
    DeliverySettings settings,
    RetryScheduler scheduler,
    Runnable progress,
    EngineCounters counters,
    ListenerNotifier listener,
    ObserverNotifier observer,
    AutoPause autoPause) {}
