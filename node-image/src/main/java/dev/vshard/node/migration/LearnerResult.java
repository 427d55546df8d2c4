package dev.vshard.node.migration;

/**
 * The result of phase 1 (step {@code "learner"} of the hold): {@code Added} with the leader's log start and
 * commit index when the target joined (BaseCopy ends when the target passed the former or installed a
 * snapshot), or {@code RolledBack}; both are recorded. {@code Joining} is only ever an answer (the join runs on).
 */
public record LearnerResult(String state, String source, String target, long logStartIndexAtJoin,
                            long commitIndexAtJoin) {
  public static final String STEP = "learner";
  public static final String ADDED = "Added";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String JOINING = "Joining";

  public LearnerResult asAdded() {
    return new LearnerResult(ADDED, source, target, logStartIndexAtJoin, commitIndexAtJoin);
  }

  public LearnerResult rolledBack() {
    return new LearnerResult(ROLLED_BACK, source, target, logStartIndexAtJoin, commitIndexAtJoin);
  }

  public boolean added() {
    return ADDED.equals(state);
  }
}
