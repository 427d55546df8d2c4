package dev.vshard.operator.migration;

import dev.vshard.operator.model.PodIdentity;
import dev.vshard.operator.node.NodeEndpoint;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.vshard.operator.migration.MigrationPhase.AtomicCutOver;
import static dev.vshard.operator.migration.MigrationPhase.BaseCopy;
import static dev.vshard.operator.migration.MigrationPhase.Completed;
import static dev.vshard.operator.migration.MigrationPhase.Failed;
import static dev.vshard.operator.migration.MigrationPhase.Pending;
import static dev.vshard.operator.migration.MigrationPhase.WalCatchUp;
import static org.assertj.core.api.Assertions.assertThat;

/** Every transition of the state machine, against a FakeNodeAdmin (unit level; real nodes in the ITs). */
class MigrationStateMachineTest {

  private final MigrationFixture f = new MigrationFixture();

  @Nested
  class FromPending {

    @Test
    void addsTheTargetAsLearnerAndEntersBaseCopy() {
      StepOutcome out = f.step();
      assertThat(f.phase()).isEqualTo(BaseCopy);
      assertThat(f.shard().listeners).containsExactly("demo-node-3");
      assertThat(f.shard().holder).isEqualTo("mig-uid");
      assertThat(f.admin.mutatingCalls).containsExactly("addLearner 3 demo-node-3 mig-uid");
      PodIdentity recorded = out.status().getTargetPod();
      assertThat(recorded.getUid()).isEqualTo("uid-3");
      assertThat(recorded.getPodIP()).isEqualTo("127.0.0.4");
      assertThat(out.status().getStartTime()).isNotNull();
      assertThat(out.status().getProgress().getLogStartIndexAtJoin()).isEqualTo(800L);
      assertThat(out.requeueAfter()).contains(Duration.ofSeconds(1));
    }

    @Test
    void completesAsNoOpWhenTheMoveIsAlreadyDone() {
      f.shard().voters.remove("demo-node-0");
      f.shard().voters.add("demo-node-3");
      f.step();
      assertThat(f.phase()).isEqualTo(Completed);
      assertThat(f.migration.getStatus().getReason()).isEqualTo("AlreadyAtTarget");
      assertThat(f.admin.mutatingCalls).isEmpty();
    }

    @Test
    void waitsWhenNoSlotIsFree() {
      StepOutcome out = f.step();
      assertThat(f.phase()).isEqualTo(BaseCopy);
      MigrationFixture queued = new MigrationFixture();
      queued.slotFree = false;
      out = queued.step();
      assertThat(queued.phase()).isEqualTo(Pending);
      assertThat(out.status().getReason()).isEqualTo("Queued");
      assertThat(out.requeueAfter()).contains(Duration.ofSeconds(2));
      assertThat(queued.admin.mutatingCalls).isEmpty();
    }

    @Test
    void waitsWhileAnotherMigrationHoldsTheVShard() {
      f.shard().holder = "someone-else";
      f.step();
      assertThat(f.phase()).isEqualTo(Pending);
      assertThat(f.migration.getStatus().getReason()).isEqualTo("VShardBusy");
      assertThat(f.admin.mutatingCalls).isEmpty();
    }

    @Test
    void failsWithTheFieldWhenTheSpecIsInvalid() {
      f.migration.getSpec().setWritePauseBudget("5 seconds");
      f.step();
      assertFailed(FailureReason.InvalidSpec, "spec.writePauseBudget");
      assertThat(f.migration.getStatus().getMessage()).contains("'5 seconds'");
    }

    @Test
    void failsWhenTheClusterHasNoPods() {
      f.pods.clear();
      f.step();
      assertFailed(FailureReason.UnknownCluster, "spec.cluster");
    }

    @Test
    void failsWhenTheTargetIsNotANode() {
      f.migration.getSpec().setTargetNode("demo-node-9");
      f.step();
      assertFailed(FailureReason.UnknownNode, "spec.targetNode");
    }

    @Test
    void failsWhenTheSourceIsNotInTheNodeDirectory() {
      f.admin.directory.remove("demo-node-0");
      f.step();
      assertFailed(FailureReason.UnknownNode, "spec.sourceNode");
    }

    @Test
    void failsWhenTheVShardDoesNotExist() {
      f.migration.getSpec().setVshard(16);
      f.step();
      assertFailed(FailureReason.UnknownVShard, "spec.vshard");
    }

    @Test
    void failsWhenTheSourceDoesNotHoldTheVShard() {
      f.pods.put("demo-node-4", new NodeEndpoint(new PodIdentity("demo-node-4", "uid-4", 0, "127.0.0.5"), 8081, 8080, true));
      f.admin.directory.add("demo-node-4");
      f.migration.getSpec().setSourceNode("demo-node-3");
      f.migration.getSpec().setTargetNode("demo-node-4");
      f.step();
      assertFailed(FailureReason.SourceNotMember, "spec.sourceNode");
    }

    @Test
    void failsWhenTheTargetAlreadyHoldsTheVShard() {
      f.migration.getSpec().setTargetNode("demo-node-1");
      f.step();
      assertFailed(FailureReason.AlreadyMember, "spec.targetNode");
    }

    @Test
    void staysPendingWhileTheNodesAreUnreachable() {
      f.admin.unreachable = true;
      StepOutcome out = f.step();
      assertThat(f.phase()).isEqualTo(Pending);
      assertThat(out.status().getReason()).isEqualTo("NodeUnavailable");
      assertThat(out.requeueAfter()).contains(Duration.ofSeconds(2));
    }

    private void assertFailed(FailureReason reason, String field) {
      assertThat(f.phase()).isEqualTo(Failed);
      assertThat(f.migration.getStatus().getReason()).isEqualTo(reason.name());
      assertThat(f.migration.getStatus().getMessage()).contains(field);
      assertThat(f.admin.mutatingCalls).as("nothing changed on the nodes").isEmpty();
      assertThat(f.migration.getStatus().getCompletionTime()).isNotNull();
      assertThat(Conditions.find(f.migration.getStatus(), Conditions.STALLED).orElseThrow().getStatus()).isEqualTo("True");
    }
  }

  @Nested
  class FromBaseCopy {

    @Test
    void staysWhileTheTargetHasNotReachedTheLogStart() {
      f.step();
      f.shard().matchIndex.put("demo-node-3", 500L);
      f.shard().targetBytes = 4096;
      f.advance(Duration.ofSeconds(1));
      f.step();
      assertThat(f.phase()).isEqualTo(BaseCopy);
      assertThat(f.migration.getStatus().getProgress().getBytesReceived()).isEqualTo(4096L);
      assertThat(f.migration.getStatus().getProgress().getLag()).isEqualTo(500L);
    }

    @Test
    void entersWalCatchUpOnceTheMatchIndexPassesTheLogStartAtJoin() {
      f.step();
      f.shard().matchIndex.put("demo-node-3", 800L);
      f.advance(Duration.ofSeconds(3));
      f.step();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
      assertThat(f.migration.getStatus().getPhases().get(1).getDurationMillis()).isEqualTo(3000L);
    }

    @Test
    void entersWalCatchUpOnceTheSnapshotIsInstalled() {
      f.step();
      f.shard().snapshotInstalled = true;
      f.step();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
    }

    @Test
    void rollsBackWhenTheTargetPodGetsANewUid() {
      f.step();
      replaceTarget(new PodIdentity("demo-node-3", "uid-3-new", 0, "127.0.0.4"));
      f.step();
      assertRolledBack(FailureReason.TargetPodReplaced);
    }

    @Test
    void rollsBackWhenTheTargetContainerRestarts() {
      f.step();
      replaceTarget(new PodIdentity("demo-node-3", "uid-3", 1, "127.0.0.4"));
      f.step();
      assertRolledBack(FailureReason.TargetPodReplaced);
    }

    @Test
    void rollsBackWhenTheTargetPodChangesIp() {
      f.step();
      replaceTarget(new PodIdentity("demo-node-3", "uid-3", 0, "127.0.0.9"));
      f.step();
      assertRolledBack(FailureReason.TargetPodReplaced);
    }

    @Test
    void rollsBackWhenTheTargetPodIsDeleted() {
      f.step();
      f.pods.remove("demo-node-3");
      f.step();
      assertRolledBack(FailureReason.TargetPodDeleted);
    }

    private void replaceTarget(PodIdentity id) {
      f.pods.put("demo-node-3", new NodeEndpoint(id, 8081, 8080, true));
    }
  }

  @Nested
  class FromWalCatchUp {

    @Test
    void asksForTheCutOverOnlyAfterTwoObservationsWithinTheThreshold() {
      f.driveToWalCatchUp();
      f.step();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
      assertThat(f.admin.mutatingCalls).noneMatch(c -> c.startsWith("cutover"));
      f.step();
      assertThat(f.phase()).isEqualTo(AtomicCutOver);
      assertThat(f.admin.mutatingCalls).containsOnlyOnce("cutover 3 mig-uid");
      assertThat(f.migration.getStatus().getWritePause().getBudgetMicros()).isEqualTo(500_000L);
    }

    @Test
    void aLagAboveTheThresholdResetsTheObservations() {
      f.driveToWalCatchUp();
      f.step();
      f.shard().commitIndex += 50;
      f.step();
      assertThat(f.migration.getStatus().getCaughtUpObservations()).isZero();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
    }

    @Test
    void aRefusedBudgetKeepsItInWalCatchUpThenFailsWithRollback() {
      f.driveToWalCatchUp();
      f.admin.refuseCutOverWithEstimate = 900_000L;
      for (int refusal = 1; refusal <= 3; refusal++) {
        f.step();
        f.step();
        assertThat(f.phase()).isEqualTo(WalCatchUp);
        assertThat(f.migration.getStatus().getPauseBudgetRefusals()).isEqualTo(refusal);
        assertThat(f.migration.getStatus().getWritePause().getEstimateMicros()).isEqualTo(900_000L);
      }
      f.step();
      assertRolledBack(FailureReason.PauseBudgetExceeded);
    }

    @Test
    void failsWithRollbackAfterTheCatchUpTimeout() {
      f.driveToWalCatchUp();
      f.shard().commitIndex += 1000;
      f.advance(Duration.ofSeconds(61));
      f.step();
      assertRolledBack(FailureReason.CatchUpTimeout);
      assertThat(f.migration.getStatus().getMessage()).contains("spec.catchUpTimeout");
    }

    @Test
    void goesForwardWhenTheNodeAlreadyCommittedTheCutOver() {
      f.driveToWalCatchUp();
      f.shard().membershipCommitted = true;
      f.advance(Duration.ofSeconds(61));
      f.step();
      assertThat(f.phase()).isEqualTo(AtomicCutOver);
      assertThat(f.migration.getStatus().getReason()).isEqualTo("CutOverCommitted");
    }

    @Test
    void keepsFailingStateUntilTheRollbackIsConfirmed() {
      f.driveToWalCatchUp();
      f.pods.remove("demo-node-3");
      f.admin.unreachable = true;
      f.step();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
      assertThat(f.migration.getStatus().getReason()).isEqualTo("RollingBack");
      f.admin.unreachable = false;
      f.step();
      assertRolledBack(FailureReason.TargetPodDeleted);
    }
  }

  @Nested
  class FromAtomicCutOver {

    @Test
    void pollsWhileTheJobRuns() {
      f.driveToCutOver();
      f.shard().cutOverStep = "ChangeMembership";
      f.step();
      assertThat(f.phase()).isEqualTo(AtomicCutOver);
      assertThat(f.migration.getStatus().getProgress().getCutOverStep()).isEqualTo("ChangeMembership");
      assertThat(f.admin.mutatingCalls).containsOnlyOnce("cutover 3 mig-uid");
    }

    @Test
    void completesWithEpochAndMeasuredPause() {
      f.driveToCutOver();
      f.admin.completeCutOver(3, "demo-node-0", "demo-node-3");
      f.advance(Duration.ofSeconds(2));
      StepOutcome out = f.step();
      assertThat(f.phase()).isEqualTo(Completed);
      assertThat(out.status().getRoutingEpoch()).isEqualTo(6L);
      assertThat(out.status().getWritePause().getActualMicros()).isEqualTo(4200L);
      assertThat(out.status().getCompletionTime()).isNotNull();
      assertThat(out.status().getElapsed()).as("3s to the cut-over, 2s in it").isEqualTo("5s");
      assertThat(out.requeueAfter()).isEmpty();
      assertThat(Conditions.find(out.status(), Conditions.READY).orElseThrow().getStatus()).isEqualTo("True");
    }

    @Test
    void completesWhenTheNodeAlreadyReleasedTheHold() {
      f.driveToCutOver();
      f.admin.completeCutOver(3, "demo-node-0", "demo-node-3");
      f.shard().holder = null;
      f.step();
      assertThat(f.phase()).isEqualTo(Completed);
    }

    @Test
    void returnsToWalCatchUpWhenTheNodeAbortedBeforeTheMembershipChange() {
      f.driveToCutOver();
      f.shard().cutOverState = "Aborted";
      f.step();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
      assertThat(f.migration.getStatus().getPauseBudgetRefusals()).isEqualTo(1);
    }

    @Test
    void ignoresATargetPodChangeAfterTheCutOverWasAccepted() {
      f.driveToCutOver();
      f.pods.remove("demo-node-3");
      f.step();
      assertThat(f.phase()).isEqualTo(AtomicCutOver);
    }
  }

  @Nested
  class Finished {

    @Test
    void aCompletedMigrationIsLeftAlone() {
      f.driveToCutOver();
      f.admin.completeCutOver(3, "demo-node-0", "demo-node-3");
      f.step();
      String before = f.migration.getStatus().getCompletionTime();
      f.admin.mutatingCalls.clear();
      f.advance(Duration.ofMinutes(5));
      StepOutcome out = f.step();
      assertThat(out.changed()).isFalse();
      assertThat(out.status().getCompletionTime()).isEqualTo(before);
      assertThat(f.admin.mutatingCalls).isEmpty();
    }

    @Test
    void aFailedMigrationIsLeftAlone() {
      f.migration.getSpec().setTargetNode("demo-node-1");
      f.step();
      StepOutcome out = f.step();
      assertThat(out.changed()).isFalse();
      assertThat(f.admin.mutatingCalls).isEmpty();
    }
  }

  @Nested
  class Cancel {

    @Test
    void rollsBackInWalCatchUp() {
      f.driveToWalCatchUp();
      CancelOutcome out = f.machine.cancel(f.context());
      assertThat(out.done()).isTrue();
      assertThat(f.shard().listeners).isEmpty();
      assertThat(f.shard().holder).isNull();
    }

    @Test
    void waitsForTheCutOverToComplete() {
      f.driveToCutOver();
      assertThat(f.machine.cancel(f.context()).done()).isFalse();
      f.admin.completeCutOver(3, "demo-node-0", "demo-node-3");
      CancelOutcome out = f.machine.cancel(f.context());
      assertThat(out.done()).isTrue();
      assertThat(out.status().getPhase()).isEqualTo(Completed);
    }

    @Test
    void touchesNoNodeForAMigrationThatNeverStarted() {
      f.slotFree = false;
      f.step();
      assertThat(f.machine.cancel(f.context()).done()).isTrue();
      assertThat(f.admin.mutatingCalls).isEmpty();
    }
  }

  private void assertRolledBack(FailureReason reason) {
    assertThat(f.phase()).isEqualTo(Failed);
    assertThat(f.migration.getStatus().getReason()).isEqualTo(reason.name());
    assertThat(f.admin.mutatingCalls).contains("removeLearner 3 demo-node-3 mig-uid");
    assertThat(f.shard().listeners).doesNotContain("demo-node-3");
    assertThat(f.shard().voters).contains("demo-node-0");
    assertThat(f.shard().holder).isNull();
    assertThat(f.migration.getStatus().getMessage()).contains("rolled back");
  }
}
