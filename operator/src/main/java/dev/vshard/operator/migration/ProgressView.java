package dev.vshard.operator.migration;

import dev.vshard.operator.model.Progress;
import dev.vshard.operator.model.VShardMigrationStatus;
import dev.vshard.operator.model.WritePause;
import dev.vshard.operator.node.LearnerAdded;
import dev.vshard.operator.node.MigrationHold;
import dev.vshard.operator.node.NodeAdmin;
import dev.vshard.operator.node.NodeApiException;
import dev.vshard.operator.node.PeerView;
import dev.vshard.operator.node.ReplicaView;
import dev.vshard.operator.node.VShardView;
import dev.vshard.operator.spec.EffectiveSpec;
import dev.vshard.operator.spec.KubernetesDuration;

/**
 * Reads the target's progress from the leader's view and the target's own replica report into
 * {@code status.progress} and {@code status.writePause}.
 *
 * @param lag the leader's commit index minus the target's match index
 * @param baseCopyDone the target installed a snapshot or its match index reached the log start at join
 */
record ProgressView(long lag, boolean baseCopyDone, String summary) {

  static void joined(VShardMigrationStatus status, LearnerAdded added) {
    progress(status).setLogStartIndexAtJoin(added.logStartIndexAtJoin());
  }

  static ProgressView observe(VShardMigrationStatus status, VShardView view, NodeAdmin admin, EffectiveSpec spec) {
    Progress p = progress(status);
    long match = view.peer(spec.targetNode()).map(PeerView::matchIndex).orElse(0L);
    long lag = Math.max(0, view.commitIndex() - match);
    p.setLeaderCommitIndex(view.commitIndex());
    p.setTargetMatchIndex(match);
    p.setLag(lag);
    if (p.getLogStartIndexAtJoin() == null && view.migration() != null && view.migration().learner() != null) {
      p.setLogStartIndexAtJoin(view.migration().learner().logStartIndexAtJoin());
    }
    ReplicaView replica = replicaOrNull(admin, spec);
    if (replica != null) {
      p.setBytesReceived(replica.bytesReceived());
      p.setTargetAppliedIndex(replica.appliedIndex());
      p.setSnapshotInstalled(replica.snapshotInstalled());
    }
    long logStart = p.getLogStartIndexAtJoin() == null ? 0 : p.getLogStartIndexAtJoin();
    boolean done = (replica != null && replica.snapshotInstalled()) || (match > 0 && match >= logStart);
    String summary = "commit " + view.commitIndex() + ", target match " + match + ", lag " + lag
        + (replica == null ? "" : ", " + replica.bytesReceived() + " bytes received");
    return new ProgressView(lag, done, summary);
  }

  static WritePause pause(VShardMigrationStatus status, EffectiveSpec spec) {
    if (status.getWritePause() == null) {
      status.setWritePause(new WritePause());
    }
    WritePause pause = status.getWritePause();
    pause.setBudget(KubernetesDuration.format(spec.writePauseBudget()));
    pause.setBudgetMicros(spec.writePauseBudgetMicros());
    return pause;
  }

  static void cutOverRunning(VShardMigrationStatus status, MigrationHold.CutOverState job) {
    if (job != null) {
      progress(status).setCutOverStep(job.step());
      if (job.estimateMicros() != null && status.getWritePause() != null) {
        status.getWritePause().setEstimateMicros(job.estimateMicros());
      }
    }
  }

  static void cutOverDone(VShardMigrationStatus status, VShardView view, MigrationHold.CutOverState job,
                          EffectiveSpec spec) {
    WritePause pause = pause(status, spec);
    progress(status).setCutOverStep(job == null ? "Done" : job.step());
    if (job != null && job.pauseMicros() != null) {
      pause.setActualMicros(job.pauseMicros());
    }
    status.setRoutingEpoch(job != null && job.epoch() != null ? job.epoch() : view.epoch());
  }

  private static ReplicaView replicaOrNull(NodeAdmin admin, EffectiveSpec spec) {
    try {
      return admin.replica(spec.targetNode(), spec.vshard());
    } catch (NodeApiException e) {
      if (e.is("NotHosted")) {
        return null;  // the target has not created the group yet
      }
      throw e;
    }
  }

  private static Progress progress(VShardMigrationStatus status) {
    if (status.getProgress() == null) {
      status.setProgress(new Progress());
    }
    return status.getProgress();
  }
}
