package io.auditstream.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link AuditStreamSetupException} into Spring Boot's start-up failure report. */
final class AuditStreamFailureAnalyzer extends AbstractFailureAnalyzer<AuditStreamSetupException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, AuditStreamSetupException cause) {
    return new FailureAnalysis(cause.description(), cause.action(), cause);
  }
}
