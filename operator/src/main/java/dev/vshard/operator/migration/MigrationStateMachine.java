package dev.vshard.operator.migration;

import dev.vshard.operator.model.VShardMigrationStatus;
import dev.vshard.operator.node.CutOverAnswer;
import dev.vshard.operator.node.CutOverRequest;
import dev.vshard.operator.node.LearnerAdded;
import dev.vshard.operator.node.MigrationHold;
import dev.vshard.operator.node.NodeApiException;
import dev.vshard.operator.node.NodeUnavailableException;
import dev.vshard.operator.node.RoutingTable;
import dev.vshard.operator.node.VShardView;
import dev.vshard.operator.spec.EffectiveSpec;
import dev.vshard.operator.spec.InvalidSpecException;
import dev.vshard.operator.spec.MigrationSpecValidator;

import java.time.Duration;

import static dev.vshard.operator.migration.MigrationPhase.AtomicCutOver;
import static dev.vshard.operator.migration.MigrationPhase.BaseCopy;
import static dev.vshard.operator.migration.MigrationPhase.Completed;
import static dev.vshard.operator.migration.MigrationPhase.Failed;
import static dev.vshard.operator.migration.MigrationPhase.WalCatchUp;

/**
 * One step of a migration: observe the node cluster, take at most one action, return the next
 * status. Never waits: progress lives in the status and the reconciler calls again.
 */
public class MigrationStateMachine {

  private final MigrationSpecValidator validator;
  private final MigrationSettings settings;
  private final Rollback rollback;

  public MigrationStateMachine(MigrationSpecValidator validator, MigrationSettings settings) {
    this.validator = validator;
    this.settings = settings;
    this.rollback = new Rollback(settings, validator);
  }

  /** Dispatches to the current phase's handler; known failures end in Failed (after a rollback). */
  public StepOutcome step(StepContext c) {
    if (c.status() == null) {
      c.resource().setStatus(StatusTransitions.initial(c.generation(), c.now()));
    }
    MigrationPhase phase = c.status().getPhase();
    if (phase.isTerminal()) {
      return StepOutcome.unchanged(c.status());
    }
    try {
      EffectiveSpec spec = validator.effective(c.resource().getSpec());
      return switch (phase) {
        case Pending -> onPending(c, spec);
        case BaseCopy -> onBaseCopy(c, spec);
        case WalCatchUp -> onWalCatchUp(c, spec);
        case AtomicCutOver -> onAtomicCutOver(c, spec);
        case Completed, Failed -> StepOutcome.unchanged(c.status());
      };
    } catch (InvalidSpecException e) {
      return fail(c, null, new MigrationFailedException(FailureReason.InvalidSpec, e.firstField(), e.getMessage()));
    } catch (MigrationFailedException e) {
      return fail(c, validator.effective(c.resource().getSpec()), e);
    } catch (NodeUnavailableException | NodeApiException e) {
      StatusTransitions.refresh(c.status(), "NodeUnavailable", "will retry: " + e.getMessage(), c.generation(), c.now());
      return StepOutcome.next(c.status(), settings.waitPollInterval());
    }
  }

  /** Pending: validate against the cluster, wait for a slot, then add the target as a learner. */
  StepOutcome onPending(StepContext c, EffectiveSpec spec) {
    if (c.cluster().isEmpty()) {
      throw new MigrationFailedException(FailureReason.UnknownCluster, "spec.cluster", "spec.cluster '" + spec.cluster()
          + "' has no pods labelled app.kubernetes.io/name=vshard-node, app.kubernetes.io/instance=" + spec.cluster()
          + " in namespace " + c.resource().getMetadata().getNamespace());
    }
    if (c.tokenMissing()) {
      return waitInPending(c, "AdminTokenMissing", "waiting for Secret " + spec.cluster() + "-admin-token (key token)");
    }
    RoutingTable routing = c.admin().routing();
    RoutingTable.ShardRoute shard = ClusterChecks.check(spec, c.cluster().get(), routing);
    boolean ours = c.uid().equals(shard.migrationId());
    if (!ours && ClusterChecks.alreadyAtTarget(shard, spec)) {
      StatusTransitions.enter(c.status(), Completed, "AlreadyAtTarget", "vShard " + spec.vshard() + " is already on "
          + spec.targetNode() + " and not on " + spec.sourceNode() + "; nothing was moved", c.generation(), c.now());
      return StepOutcome.next(c.status(), null);
    }
    if (!ours) {
      ClusterChecks.checkMembership(shard, spec);
    }
    if (shard.migrationId() != null && !ours) {
      return waitInPending(c, "VShardBusy", "vShard " + spec.vshard() + " is held by migration " + shard.migrationId());
    }
    Admission admission = c.gate().tryAdmit();
    if (!admission.granted()) {
      return waitInPending(c, admission.reason(), admission.message());
    }
    LearnerAdded added;
    try {
      c.status().setTargetPod(c.cluster().get().node(spec.targetNode()).orElseThrow().identity());
      c.status().setAcceptedSpec(c.resource().getSpec());
      added = c.admin().addLearner(spec.vshard(), spec.targetNode(), spec.sourceNode(), c.uid());
    } catch (NodeApiException e) {
      c.gate().release();
      c.status().setTargetPod(null);  // the node refused: nothing changed there, nothing to roll back
      c.status().setAcceptedSpec(null);
      if (e.is("VShardBusy")) {
        return waitInPending(c, "VShardBusy", "vShard " + spec.vshard() + " is held by another migration");
      }
      throw ClusterChecks.fromNode(e, spec);
    } catch (RuntimeException e) {
      c.gate().release();
      throw e;
    }
    ProgressView.joined(c.status(), added);
    StatusTransitions.enter(c.status(), BaseCopy, "BaseCopy", spec.targetNode() + (added(added)
        ? " joined vShard " + spec.vshard() + " as a listener and receives its data"
        : " is joining vShard " + spec.vshard() + " as a listener and receives its data"), c.generation(), c.now());
    return StepOutcome.next(c.status(), settings.activePollInterval());
  }

  /** BaseCopy: wait until the target installed the snapshot or passed the leader's log start at join. */
  StepOutcome onBaseCopy(StepContext c, EffectiveSpec spec) {
    guardTarget(c, spec);
    VShardView view = c.admin().vshard(spec.vshard());
    ProgressView progress = ProgressView.observe(c.status(), view, c.admin(), spec);
    if (!learnerRecorded(view, c.uid())
        && !added(c.admin().addLearner(spec.vshard(), spec.targetNode(), spec.sourceNode(), c.uid()))) {
      // the node still stages the listener (it answers at once while it does); repeating the call also
      // restarts a join that a leader change cut short, and reports one that failed
      StatusTransitions.refresh(c.status(), "BaseCopy", "joining " + spec.targetNode() + " as a listener: "
          + progress.summary(), c.generation(), c.now());
      return StepOutcome.next(c.status(), settings.activePollInterval());
    }
    if (progress.baseCopyDone()) {
      StatusTransitions.enter(c.status(), WalCatchUp, "WalCatchUp", spec.targetNode() + " has the base copy; "
          + "following the log (lag " + progress.lag() + ")", c.generation(), c.now());
    } else {
      StatusTransitions.refresh(c.status(), "BaseCopy", "copying to " + spec.targetNode() + ": "
          + progress.summary(), c.generation(), c.now());
    }
    return StepOutcome.next(c.status(), settings.activePollInterval());
  }

  /** WalCatchUp: once the lag stays within the threshold, ask the node for the cut-over. */
  StepOutcome onWalCatchUp(StepContext c, EffectiveSpec spec) {
    guardTarget(c, spec);
    Duration inPhase = Duration.between(StatusTransitions.currentPhaseStart(c.status(), c.now()), c.now());
    if (inPhase.compareTo(spec.catchUpTimeout()) > 0) {
      throw new MigrationFailedException(FailureReason.CatchUpTimeout, "spec.catchUpTimeout", "the target did not "
          + "catch up within spec.catchUpTimeout (" + c.resource().getSpec().getCatchUpTimeout() + ", default 10m); lag "
          + lastLag(c.status()) + " entries, threshold " + spec.catchUpThreshold());
    }
    if (intOrZero(c.status().getPauseBudgetRefusals()) >= settings.maxPauseBudgetRefusals()) {
      throw budgetExhausted(c, spec);
    }
    VShardView view = c.admin().vshard(spec.vshard());
    ProgressView progress = ProgressView.observe(c.status(), view, c.admin(), spec);
    int streak = progress.lag() <= spec.catchUpThreshold() ? intOrZero(c.status().getCaughtUpObservations()) + 1 : 0;
    c.status().setCaughtUpObservations(streak);
    if (streak < settings.caughtUpObservationsNeeded()) {
      StatusTransitions.refresh(c.status(), "WalCatchUp", "catching up: " + progress.summary(), c.generation(), c.now());
      return StepOutcome.next(c.status(), settings.activePollInterval());
    }
    CutOverAnswer answer = c.admin().requestCutOver(spec.vshard(), new CutOverRequest(c.uid(), spec.sourceNode(),
        spec.targetNode(), spec.writePauseBudgetMicros(), spec.transferLeadership()));
    if (answer instanceof CutOverAnswer.Refused refused) {
      c.status().setPauseBudgetRefusals(intOrZero(c.status().getPauseBudgetRefusals()) + 1);
      c.status().setCaughtUpObservations(0);
      ProgressView.pause(c.status(), spec).setEstimateMicros(refused.estimateMicros());
      StatusTransitions.refresh(c.status(), "PauseBudgetRefused", "the node estimates a pause of "
          + refused.estimateMicros() + "us, above the budget of " + spec.writePauseBudgetMicros() + "us (refusal "
          + c.status().getPauseBudgetRefusals() + " of " + settings.maxPauseBudgetRefusals() + ")", c.generation(), c.now());
      return StepOutcome.next(c.status(), settings.activePollInterval());
    }
    CutOverAnswer.Accepted accepted = (CutOverAnswer.Accepted) answer;
    ProgressView.pause(c.status(), spec).setEstimateMicros(accepted.estimateMicros());
    StatusTransitions.enter(c.status(), AtomicCutOver, "AtomicCutOver", "the node accepted the cut-over (estimated "
        + "pause " + accepted.estimateMicros() + "us); from here the only way is forward", c.generation(), c.now());
    return StepOutcome.next(c.status(), settings.cutOverPollInterval());
  }

  /** AtomicCutOver: poll the node's cut-over job until it completed (or aborted before the membership change). */
  StepOutcome onAtomicCutOver(StepContext c, EffectiveSpec spec) {
    VShardView view = c.admin().vshard(spec.vshard());
    MigrationHold.CutOverState job = view.heldBy(c.uid()).map(MigrationHold::cutover).orElse(null);
    boolean moved = view.isVoter(spec.targetNode()) && !view.isVoter(spec.sourceNode());
    if ((job != null && job.isCompleted()) || (view.migration() == null && moved)) {
      ProgressView.cutOverDone(c.status(), view, job, spec);
      StatusTransitions.enter(c.status(), Completed, "Completed", "vShard " + spec.vshard() + " moved from "
          + spec.sourceNode() + " to " + spec.targetNode() + " at routing epoch " + c.status().getRoutingEpoch(),
          c.generation(), c.now());
      return StepOutcome.next(c.status(), null);
    }
    if (job != null && job.isAborted()) {
      c.status().setPauseBudgetRefusals(intOrZero(c.status().getPauseBudgetRefusals()) + 1);
      c.status().setCaughtUpObservations(0);
      StatusTransitions.enter(c.status(), WalCatchUp, "CutOverAborted", "the node aborted the cut-over before the "
          + "membership change (" + job.message() + "); writes were released and the group is unchanged",
          c.generation(), c.now());
      return StepOutcome.next(c.status(), settings.activePollInterval());
    }
    if (job == null && view.heldBy(c.uid()).isPresent()) {
      c.admin().requestCutOver(spec.vshard(), new CutOverRequest(c.uid(), spec.sourceNode(), spec.targetNode(),
          spec.writePauseBudgetMicros(), spec.transferLeadership()));
    }
    ProgressView.cutOverRunning(c.status(), job);
    StatusTransitions.refresh(c.status(), "AtomicCutOver", "cut-over step " + (job == null ? "requested" : job.step()),
        c.generation(), c.now());
    return StepOutcome.next(c.status(), settings.cutOverPollInterval());
  }

  /** Cancels (finalizer): rolls back before the cut-over, otherwise keeps stepping forward. */
  public CancelOutcome cancel(StepContext c) {
    return rollback.cancel(c, this);
  }

  private StepOutcome fail(StepContext c, EffectiveSpec spec, MigrationFailedException failure) {
    return rollback.failAfterRollback(c, spec, failure);
  }

  private static boolean added(LearnerAdded answer) {
    return LearnerAdded.ADDED.equals(answer.state());
  }

  /** Whether the node recorded this migration's learner as added (not just joining). */
  private static boolean learnerRecorded(VShardView view, String uid) {
    MigrationHold hold = view.migration();
    return hold != null && uid.equals(hold.migrationId()) && hold.learner() != null
        && LearnerAdded.ADDED.equals(hold.learner().state());
  }

  private void guardTarget(StepContext c, EffectiveSpec spec) {
    if (c.cluster().isEmpty()) {
      throw new NodeUnavailableException("no pods of cluster " + spec.cluster() + " are visible", null);
    }
    TargetPodGuard.check(c.status().getTargetPod(), c.cluster().get(), spec.targetNode());
  }

  private StepOutcome waitInPending(StepContext c, String reason, String message) {
    StatusTransitions.refresh(c.status(), reason, message, c.generation(), c.now());
    return StepOutcome.next(c.status(), settings.waitPollInterval());
  }

  private MigrationFailedException budgetExhausted(StepContext c, EffectiveSpec spec) {
    return new MigrationFailedException(FailureReason.PauseBudgetExceeded, "spec.writePauseBudget", "the node could not "
        + "cut over within spec.writePauseBudget (" + spec.writePauseBudgetMicros() + "us) in "
        + c.status().getPauseBudgetRefusals() + " tries; last estimate " + (c.status().getWritePause() == null ? "unknown"
        : c.status().getWritePause().getEstimateMicros() + "us"));
  }

  private static long lastLag(VShardMigrationStatus status) {
    return status.getProgress() == null || status.getProgress().getLag() == null ? -1 : status.getProgress().getLag();
  }

  static int intOrZero(Integer value) {
    return value == null ? 0 : value;
  }
}
