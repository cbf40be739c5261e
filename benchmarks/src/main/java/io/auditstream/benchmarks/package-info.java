/**
 * JMH benchmarks: what {@code stream(event)} costs the host's thread, and how many events per second
 * the engine delivers to a sink that does no I/O. Run {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package io.auditstream.benchmarks;
