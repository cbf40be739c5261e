package io.auditstream.jdbc;

import io.auditstream.api.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * What an outbox is opened with, checked by the builder that made it. Internal; may change without
 * notice.
 *
 * @param decoder rebuilds an event from its stored payload
 * @param maxEventsPerDestination the most deliveries a destination's backlog holds
 * @param maxBytesPerDestination the most payload bytes a destination's backlog holds
 * @param deliveredRetention how long a delivered row is kept; zero deletes it at once
 * @param clock what stamps deliveries as delivered and decides when retention ends
 */
record OutboxSettings(Function<byte[], AuditEvent> decoder, int maxEventsPerDestination, long maxBytesPerDestination,
    Duration deliveredRetention, Clock clock) {}
