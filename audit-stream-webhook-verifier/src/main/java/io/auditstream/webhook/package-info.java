/**
 * Verification of signed audit events, for receivers: {@link io.auditstream.webhook.WebhookVerifier}
 * checks the {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature} headers of the
 * Standard Webhooks specification against one or more signing secrets. The JDK alone; no dependencies.
 */
package io.auditstream.webhook;
