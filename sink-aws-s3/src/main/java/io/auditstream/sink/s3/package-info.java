/**
 * AWS S3 streaming destinations (kind {@code s3}). This release ships the module so that hosts can
 * depend on it already; the sink itself is not part of it yet, and adding a destination of kind
 * {@code s3} fails with a message that says no sink serves the kind.
 */
package io.auditstream.sink.s3;
