package dev.vshard.operator.node;

/** The node's answer to a cut-over request: accepted (202) or refused for the pause budget (409). */
public sealed interface CutOverAnswer {

  /** {@code 202}: the cut-over job runs (or ran); poll {@code GET /admin/v1/vshards/{v}}. */
  record Accepted(String state, Long estimateMicros, Long budgetMicros) implements CutOverAnswer { }

  /** {@code 409 PauseBudgetExceeded}: nothing changed; the estimate is above the budget. */
  record Refused(Long estimateMicros, Long budgetMicros, String message) implements CutOverAnswer { }
}
