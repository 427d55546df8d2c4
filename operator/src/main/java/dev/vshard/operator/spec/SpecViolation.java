package dev.vshard.operator.spec;

/**
 * One field of a spec that is not acceptable.
 *
 * @param field the field's path, e.g. {@code spec.targetNode}
 * @param value the value given ({@code null} when missing)
 * @param allowed what the field accepts, for a person
 */
public record SpecViolation(String field, Object value, String allowed) {

  /** A sentence naming the field, its value and what is allowed. */
  public String message() {
    String given = value == null ? "is missing" : "is '" + value + "'";
    return field + " " + given + "; " + allowed;
  }
}
