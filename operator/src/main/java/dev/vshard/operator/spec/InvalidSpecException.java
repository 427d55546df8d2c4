package dev.vshard.operator.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that breaks the CRD's rules; the message names every field at fault. */
public class InvalidSpecException extends RuntimeException {

  private final transient List<SpecViolation> violations;

  public InvalidSpecException(List<SpecViolation> violations) {
    super(violations.stream().map(SpecViolation::message).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<SpecViolation> violations() {
    return violations;
  }

  /** The first field at fault, e.g. {@code spec.targetNode}. */
  public String firstField() {
    return violations.get(0).field();
  }
}
