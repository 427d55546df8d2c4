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

/** Transitions out of AtomicCutOver, finished migrations and cancellation, against a FakeNodeAdmin (unit level; the real nodes are in the *IT classes). */
class CutOverAndFinishedTransitionsTest {

  private final MigrationFixture f = new MigrationFixture();

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

}
