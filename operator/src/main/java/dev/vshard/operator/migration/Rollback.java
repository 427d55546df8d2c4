package dev.vshard.operator.migration;

import dev.vshard.operator.node.NodeApiException;
import dev.vshard.operator.node.NodeUnavailableException;
import dev.vshard.operator.spec.EffectiveSpec;
import dev.vshard.operator.spec.MigrationSpecValidator;

/**
 * Failing and cancelling: before the cut-over was accepted, the learner is removed from the group
 * and its data deleted on the target (a repeatable call); once the node committed the membership
 * change it answers {@code CutOverCommitted} and the migration goes forward instead.
 */
final class Rollback {

  private final MigrationSettings settings;
  private final MigrationSpecValidator validator;

  Rollback(MigrationSettings settings, MigrationSpecValidator validator) {
    this.settings = settings;
    this.validator = validator;
  }

  StepOutcome failAfterRollback(StepContext c, EffectiveSpec spec, MigrationFailedException failure) {
    MigrationPhase phase = c.status().getPhase();
    String message = failure.getMessage();
    if (needsRollback(c) && spec != null) {
      try {
        removeLearner(c, spec);
        message = message + " (rolled back: " + spec.targetNode() + " removed from vShard " + spec.vshard() + ")";
      } catch (NodeApiException e) {
        if (e.is("CutOverCommitted")) {
          StatusTransitions.enter(c.status(), MigrationPhase.AtomicCutOver, "CutOverCommitted", "wanted to fail ("
              + failure.reason() + ") but the node had already committed the cut-over; completing it",
              c.generation(), c.now());
          return StepOutcome.next(c.status(), settings.cutOverPollInterval());
        }
        return rollbackPending(c, failure, e);
      } catch (NodeUnavailableException e) {
        return rollbackPending(c, failure, e);
      }
    }
    if (phase == MigrationPhase.Pending) {
      c.gate().release();
    }
    StatusTransitions.enter(c.status(), MigrationPhase.Failed, failure.reason().name(), message, c.generation(), c.now());
    return StepOutcome.next(c.status(), null);
  }

  CancelOutcome cancel(StepContext c, MigrationStateMachine machine) {
    if (c.status() == null || c.status().getPhase().isTerminal()) {
      return CancelOutcome.finished(c.status());
    }
    EffectiveSpec spec;
    try {
      spec = validator.effective(c.resource().getSpec());
    } catch (RuntimeException invalid) {
      return CancelOutcome.finished(c.status());  // an invalid spec never reached a node
    }
    MigrationPhase phase = c.status().getPhase();
    if (phase == MigrationPhase.AtomicCutOver) {
      StepOutcome forward = machine.step(c);
      return forward.status().getPhase().isTerminal() ? CancelOutcome.finished(forward.status())
          : CancelOutcome.notYet(forward.status(), settings.cutOverPollInterval());
    }
    if (!needsRollback(c)) {
      c.gate().release();
      return CancelOutcome.finished(c.status());
    }
    try {
      removeLearner(c, spec);
      return CancelOutcome.finished(c.status());
    } catch (NodeApiException e) {
      if (e.is("CutOverCommitted")) {
        StatusTransitions.enter(c.status(), MigrationPhase.AtomicCutOver, "CutOverCommitted",
            "deleted after the node committed the cut-over; completing it before the resource goes",
            c.generation(), c.now());
        return CancelOutcome.notYet(c.status(), settings.cutOverPollInterval());
      }
      throw e;
    }
  }

  /** The learner DELETE; "nothing held" and "held by someone else" mean ours is not there: done. */
  private static void removeLearner(StepContext c, EffectiveSpec spec) {
    try {
      c.admin().removeLearner(spec.vshard(), spec.targetNode(), c.uid());
    } catch (NodeApiException e) {
      if (!e.is("NoHold") && !e.is("VShardBusy")) {
        throw e;
      }
    }
  }

  /** Whether the target may have joined: BaseCopy/WalCatchUp, or Pending after the learner call was sent. */
  private static boolean needsRollback(StepContext c) {
    MigrationPhase phase = c.status().getPhase();
    return c.admin() != null && (phase.needsRollbackOnFailure()
        || (phase == MigrationPhase.Pending && c.status().getTargetPod() != null));
  }

  private StepOutcome rollbackPending(StepContext c, MigrationFailedException failure, RuntimeException cause) {
    StatusTransitions.refresh(c.status(), "RollingBack", "failing with " + failure.reason() + " (" + failure.getMessage()
        + "); rollback not confirmed yet, retrying: " + cause.getMessage(), c.generation(), c.now());
    return StepOutcome.next(c.status(), settings.waitPollInterval());
  }
}
