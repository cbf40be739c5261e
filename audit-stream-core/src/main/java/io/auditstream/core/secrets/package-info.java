/**
 * Encryption of destination secrets at rest: {@link io.auditstream.core.secrets.SecretsCipher} seals a
 * destination's serialised secrets with AES-256-GCM under the current key of a {@link
 * io.auditstream.api.spi.SecretKeys}, bound to the destination's id; {@link
 * io.auditstream.core.secrets.SecretKeyFile} generates and reads the owner-only key file of a store whose
 * host gave no keys. Used by the core's file store and by the JDBC stores.
 */
package io.auditstream.core.secrets;
