package dev.vshard.operator.migration;

import dev.vshard.operator.model.PodIdentity;
import dev.vshard.operator.node.NodeCluster;
import dev.vshard.operator.node.NodeEndpoint;

/** Notices a target pod that was replaced, restarted or deleted since BaseCopy began. */
final class TargetPodGuard {

  private TargetPodGuard() { }

  static void check(PodIdentity recorded, NodeCluster cluster, String target) {
    NodeEndpoint now = cluster.node(target).orElse(null);
    if (now == null) {
      throw new MigrationFailedException(FailureReason.TargetPodDeleted, "spec.targetNode",
          "target pod " + target + " was deleted during the migration; the target's partial copy was rolled back");
    }
    if (recorded != null && !recorded.sameAs(now.identity())) {
      throw new MigrationFailedException(FailureReason.TargetPodReplaced, "spec.targetNode",
          "target pod changed from " + recorded + " to " + now.identity()
              + "; its partial copy cannot be trusted, so the migration was rolled back");
    }
  }
}
