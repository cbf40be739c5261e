/**
 * Internal machinery of the engine. Not API: anything here may change in any release without notice.
 */
package io.auditstream.core.internal;
