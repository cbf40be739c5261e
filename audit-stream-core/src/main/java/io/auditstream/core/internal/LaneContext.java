package io.auditstream.core.internal;

import io.auditstream.api.spi.DeliveryQueue;
import io.auditstream.core.RetryPolicy;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What every {@link DeliveryLane} of one dispatcher shares. Immutable; every component is
 * thread-safe.
 *
 * @param queue where deliveries wait
 * @param sinks makes the destinations' sinks
 * @param retryPolicy backoff and attempt bound
 * @param clock the source of status timestamps
 * @param executor runs lanes' delivery attempts (a cached pool: one thread per busy lane at most)
 * @param scheduler runs a lane's next attempt after a backoff
 * @param progress called after a lane finished with some deliveries, to wake {@code flush}
 */
record LaneContext(
    DeliveryQueue queue,
    SinkFactory sinks,
    RetryPolicy retryPolicy,
    Clock clock,
    Executor executor,
    RetryScheduler scheduler,
    Runnable progress) {}
