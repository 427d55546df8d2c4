package dev.vshard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The cut-over's write pause: what was allowed, what the node expected and what it measured. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WritePause {

  /** The allowed pause (spec.writePauseBudget, defaults applied). */
  @JsonPropertyDescription("The allowed pause (spec.writePauseBudget with its default applied).")
  private String budget;

  /** The allowed pause in microseconds, as sent to the node. */
  @JsonPropertyDescription("The allowed pause in microseconds, as sent to the node.")
  private Long budgetMicros;

  /** The node's last estimate of the pause, in microseconds. */
  @JsonPropertyDescription("The node's last estimate of the pause, in microseconds.")
  private Long estimateMicros;

  /** The pause the node measured from the first held write to their release, in microseconds. */
  @JsonPropertyDescription("The pause the node measured from the first held write to their release, in microseconds.")
  private Long actualMicros;

  public String getBudget() { return budget; }
  public void setBudget(String budget) { this.budget = budget; }
  public Long getBudgetMicros() { return budgetMicros; }
  public void setBudgetMicros(Long v) { this.budgetMicros = v; }
  public Long getEstimateMicros() { return estimateMicros; }
  public void setEstimateMicros(Long v) { this.estimateMicros = v; }
  public Long getActualMicros() { return actualMicros; }
  public void setActualMicros(Long v) { this.actualMicros = v; }
}
