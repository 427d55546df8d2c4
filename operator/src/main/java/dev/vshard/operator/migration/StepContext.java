package dev.vshard.operator.migration;

import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationStatus;
import dev.vshard.operator.node.NodeAdmin;
import dev.vshard.operator.node.NodeCluster;

import java.time.Instant;
import java.util.Optional;

/**
 * What one reconcile observed, handed to the state machine.
 *
 * @param resource the migration (its status is edited in place and returned)
 * @param cluster the node cluster's pods and token; empty when no pod carries its labels
 * @param admin admin client for {@code cluster}; {@code null} when the cluster is empty
 * @param tokenMissing pods exist but Secret {@code <cluster>-admin-token} does not
 */
public record StepContext(VShardMigration resource, Optional<NodeCluster> cluster, NodeAdmin admin,
                          boolean tokenMissing, SlotGate gate, Instant now) {

  public String uid() {
    return resource.getMetadata().getUid();
  }

  public Long generation() {
    return resource.getMetadata().getGeneration();
  }

  public VShardMigrationStatus status() {
    return resource.getStatus();
  }
}
