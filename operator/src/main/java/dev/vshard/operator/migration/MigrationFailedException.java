package dev.vshard.operator.migration;

/**
 * A known reason to end a migration in Failed (after a rollback when the target had joined).
 *
 * @see FailureReason
 */
public class MigrationFailedException extends RuntimeException {

  private final FailureReason reason;
  private final String field;

  /**
   * @param field the spec field at fault (e.g. {@code spec.targetNode}), or {@code null}
   * @param message for a person; names the field and value when one is at fault
   */
  public MigrationFailedException(FailureReason reason, String field, String message) {
    super(message);
    this.reason = reason;
    this.field = field;
  }

  public FailureReason reason() {
    return reason;
  }

  public String field() {
    return field;
  }
}
