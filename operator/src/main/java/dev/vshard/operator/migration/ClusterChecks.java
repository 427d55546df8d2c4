package dev.vshard.operator.migration;

import dev.vshard.operator.node.NodeApiException;
import dev.vshard.operator.node.NodeCluster;
import dev.vshard.operator.node.RoutingTable;
import dev.vshard.operator.spec.EffectiveSpec;

/**
 * The reconciler-side validation a Pending migration passes before anything changes on a node:
 * the nodes and the vShard exist, the source holds it and the target does not.
 */
final class ClusterChecks {

  private ClusterChecks() { }

  /** Whether the move is already done: the target votes, the source does not, nobody holds the vShard. */
  static boolean alreadyAtTarget(RoutingTable.ShardRoute shard, EffectiveSpec spec) {
    return shard.isVoter(spec.targetNode()) && !shard.isVoter(spec.sourceNode()) && shard.migrationId() == null;
  }

  /** Throws for the first spec field the cluster contradicts; returns the vShard's route otherwise. */
  static RoutingTable.ShardRoute check(EffectiveSpec spec, NodeCluster cluster, RoutingTable routing) {
    if (spec.vshard() >= routing.vshards()) {
      throw new MigrationFailedException(FailureReason.UnknownVShard, "spec.vshard", "spec.vshard " + spec.vshard()
          + " does not exist: cluster " + spec.cluster() + " has vShards 0.." + (routing.vshards() - 1));
    }
    requireNode(spec.sourceNode(), "spec.sourceNode", cluster, routing);
    requireNode(spec.targetNode(), "spec.targetNode", cluster, routing);
    RoutingTable.ShardRoute shard = routing.shard(spec.vshard()).orElseThrow(() -> new MigrationFailedException(
        FailureReason.UnknownVShard, "spec.vshard", "spec.vshard " + spec.vshard() + " has no route in cluster "
        + spec.cluster()));
    return shard;
  }

  /** Throws when the source does not hold the vShard or the target already does. */
  static void checkMembership(RoutingTable.ShardRoute shard, EffectiveSpec spec) {
    if (!shard.isVoter(spec.sourceNode())) {
      throw new MigrationFailedException(FailureReason.SourceNotMember, "spec.sourceNode", "spec.sourceNode '"
          + spec.sourceNode() + "' does not hold vShard " + spec.vshard() + "; its voters are " + shard.voters());
    }
    if (shard.isVoter(spec.targetNode())) {
      throw new MigrationFailedException(FailureReason.AlreadyMember, "spec.targetNode", "spec.targetNode '"
          + spec.targetNode() + "' already holds vShard " + spec.vshard() + "; its voters are " + shard.voters());
    }
  }

  /** Maps a node's refusal of the learner step to the spec field it names. */
  static MigrationFailedException fromNode(NodeApiException e, EffectiveSpec spec) {
    String field = switch (e.field() == null ? "" : e.field()) {
      case "target" -> "spec.targetNode";
      case "source" -> "spec.sourceNode";
      case "vshard" -> "spec.vshard";
      default -> null;
    };
    FailureReason reason = switch (e.code()) {
      case "UnknownVShard" -> FailureReason.UnknownVShard;
      case "UnknownNode" -> FailureReason.UnknownNode;
      case "AlreadyMember" -> FailureReason.AlreadyMember;
      case "SourceNotMember" -> FailureReason.SourceNotMember;
      default -> null;
    };
    if (reason == null) {
      throw e;
    }
    return new MigrationFailedException(reason, field, "the node refused to add the target for "
        + (field == null ? "vShard " + spec.vshard() : field) + ": " + e.getMessage());
  }

  private static void requireNode(String node, String field, NodeCluster cluster, RoutingTable routing) {
    if (cluster.node(node).isEmpty()) {
      throw new MigrationFailedException(FailureReason.UnknownNode, field, field + " '" + node
          + "' is not a pod of cluster " + cluster.name() + "; its pods are " + cluster.nodes().keySet());
    }
    if (!routing.knowsNode(node)) {
      throw new MigrationFailedException(FailureReason.UnknownNode, field, field + " '" + node
          + "' is not in the node directory of cluster " + cluster.name() + " (has it joined?)");
    }
  }
}
