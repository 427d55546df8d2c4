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

/** Transitions out of BaseCopy and WalCatchUp, against a FakeNodeAdmin (unit level; the real nodes are in the *IT classes). */
class CopyAndCatchUpTransitionsTest {

  private final MigrationFixture f = new MigrationFixture();

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
    void whileTheNodeStillStagesTheListenerItAsksAgainAndStaysEvenWithTheSnapshotInstalled() {
      f.shard().joiningAnswers = 2;
      f.shard().snapshotInstalled = true;
      f.step();
      assertThat(f.phase()).isEqualTo(BaseCopy);
      assertThat(f.migration.getStatus().getMessage()).contains("is joining");
      f.step();
      assertThat(f.phase()).as("Joining is not Added: the cut-over would be refused").isEqualTo(BaseCopy);
      assertThat(f.migration.getStatus().getMessage()).contains("joining demo-node-3 as a listener");
      f.step();
      assertThat(f.phase()).isEqualTo(WalCatchUp);
      assertThat(f.admin.mutatingCalls).as("asked again while joining, then no more")
          .containsExactly("addLearner 3 demo-node-3 mig-uid", "addLearner 3 demo-node-3 mig-uid");
    }

    @Test
    void asksNoMoreOnceTheLearnerIsRecorded() {
      f.step();
      f.step();
      assertThat(f.admin.mutatingCalls).containsExactly("addLearner 3 demo-node-3 mig-uid");
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
