package dev.vshard.node.migration;

import dev.vshard.node.raft.MembershipChange;

/**
 * The recorded state of a cut-over (step {@code "cutover"} of the hold), rewritten at the point of no return,
 * after the release and at the end ({@link CutOverStep#recordedAfter}), so a repeated call, a restarted node
 * or {@code DELETE /migration} finds where it stands. {@code step} is the
 * next step to run (or {@code Done}); {@code runner} is the node whose job drives it.
 */
public record CutOverResult(String state, CutOverStep step, String source, String target, boolean transferLeadership,
                            long estimateMicros, long budgetMicros, Long pauseMicros, Long epoch, String message,
                            String runner) {
  public static final String STEP = "cutover";
  public static final String RUNNING = "Running";
  public static final String COMPLETED = "Completed";
  public static final String ABORTED = "Aborted";

  public CutOverResult at(CutOverStep next) {
    return new CutOverResult(state, next, source, target, transferLeadership, estimateMicros, budgetMicros, pauseMicros,
        epoch, message, runner);
  }

  public CutOverResult withPause(Long micros) {
    return new CutOverResult(state, step, source, target, transferLeadership, estimateMicros, budgetMicros, micros,
        epoch, message, runner);
  }

  public CutOverResult withEpoch(long routingEpoch) {
    return new CutOverResult(state, step, source, target, transferLeadership, estimateMicros, budgetMicros, pauseMicros,
        routingEpoch, message, runner);
  }

  public CutOverResult withMessage(String text) {
    return new CutOverResult(state, step, source, target, transferLeadership, estimateMicros, budgetMicros, pauseMicros,
        epoch, text, runner);
  }

  public CutOverResult withRunner(String node) {
    return new CutOverResult(state, step, source, target, transferLeadership, estimateMicros, budgetMicros, pauseMicros,
        epoch, message, node);
  }

  public CutOverResult finished(String finalState) {
    return new CutOverResult(finalState, step, source, target, transferLeadership, estimateMicros, budgetMicros,
        pauseMicros, epoch, message, runner);
  }

  public boolean running() {
    return RUNNING.equals(state);
  }

  public boolean membershipCommitted() {
    return step.pastMembershipChange();
  }
}
