/**
 * What host applications use in their own tests of audit streaming: a recording sink of kind
 * {@code test} (found through {@link java.util.ServiceLoader}, no network), AssertJ assertions on
 * what it received, an access policy, a destination store, a clock and a host resolver
 * ({@link io.auditstream.testing.TestHostResolver}: DNS answers) that tests control, and {@link
 * io.auditstream.testing.Await}, a bounded wait for what happens on another thread.
 *
 * <pre>{@code
 * RecordingSinkProvider sink = RecordingSinkProvider.isolated();
 * AuditStreamer streamer = AuditStreamer.builder()
 *     .accessPolicy(TestAccessPolicy.owners().grant("alice", "acme"))
 *     .addSinkProvider(sink)
 *     .build();
 * streamer.destinations().create(Actor.of("alice"), "acme", TestDestinations.draft().build());
 * streamer.stream(event);
 * streamer.flush(Duration.ofSeconds(5));
 * AuditStreamAssertions.assertThat(sink).receivedEventOfType("user_created");
 * }</pre>
 */
package io.auditstream.testing;
