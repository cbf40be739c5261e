/**
 * A runnable host application: it makes a top-level group with a subgroup and projects, adds a
 * streaming destination as the group's Owner, streams sample audit events and reports what was
 * delivered. Run {@code java -jar examples/target/audit-stream-demo.jar --help}.
 */
package io.auditstream.examples.demo;
