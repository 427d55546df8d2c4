package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The migration holding a vShard, with the recorded result of each step. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MigrationHold(String migrationId, String source, String target, LearnerState learner, CutOverState cutover) {

  /** Learner step result as recorded by the metadata group. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LearnerState(String state, Long logStartIndexAtJoin, Long commitIndexAtJoin) { }

  /**
   * The cut-over job. {@code state}: Running, Completed or Aborted; {@code step}: HoldWrites ... Done.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CutOverState(String state, String step, Long estimateMicros, Long budgetMicros, Long pauseMicros,
                             Long epoch, String message) {
    public boolean isCompleted() {
      return "Completed".equals(state);
    }

    public boolean isAborted() {
      return "Aborted".equals(state);
    }
  }
}
