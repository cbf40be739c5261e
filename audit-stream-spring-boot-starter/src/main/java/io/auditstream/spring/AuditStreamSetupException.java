package io.auditstream.spring;

/**
 * The application is missing something the auto-configured streamer needs (an {@code AccessPolicy}
 * bean, a {@code DataSource} for the PostgreSQL store...). Spring Boot's start-up failure report shows
 * its {@link #description()} and the {@link #action()} that fixes it.
 */
public final class AuditStreamSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String description;
  private final String action;

  /**
   * @param description what is missing or wrong
   * @param action what to add or change
   */
  public AuditStreamSetupException(String description, String action) {
    super(description + " " + action);
    this.description = description;
    this.action = action;
  }

  /** What is missing or wrong. */
  public String description() {
    return description;
  }

  /** What to add or change. */
  public String action() {
    return action;
  }
}
