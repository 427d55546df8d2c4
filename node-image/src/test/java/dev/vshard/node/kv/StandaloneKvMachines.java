package dev.vshard.node.kv;

import dev.vshard.node.raft.SnapshotPolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** vShard 0's state machine for tests that run one outside a node: no leader to download from, leader changes ignored. */
final class StandaloneKvMachines {
  private StandaloneKvMachines() {
  }

  static KvStateMachine of(Executor snapshotWrites, SnapshotPolicy policy) {
    return new KvStateMachine(0, (group, leader, target) -> CompletableFuture.completedFuture(null), snapshotWrites, policy,
        (vshard, leader) -> { });
  }

  /** Snapshots written on the calling thread, the node's policy. */
  static KvStateMachine writingInline() {
    return of(Runnable::run, SnapshotPolicy.DEFAULT);
  }
}
