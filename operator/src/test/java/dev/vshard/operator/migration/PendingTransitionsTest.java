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

/** Transitions out of Pending, against a FakeNodeAdmin (unit level; the real nodes are in the *IT classes). */
class PendingTransitionsTest {

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

}
