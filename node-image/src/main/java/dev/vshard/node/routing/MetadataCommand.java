package dev.vshard.node.routing;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A change to the routing table, replicated through the metadata Raft group (JSON on the log). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MetadataCommand.InitializeCluster.class, name = "InitializeCluster"),
    @JsonSubTypes.Type(value = MetadataCommand.MarkBootstrapped.class, name = "MarkBootstrapped"),
    @JsonSubTypes.Type(value = MetadataCommand.RegisterNode.class, name = "RegisterNode"),
    @JsonSubTypes.Type(value = MetadataCommand.UpdateShardMembership.class, name = "UpdateShardMembership"),
    @JsonSubTypes.Type(value = MetadataCommand.AcquireHold.class, name = "AcquireHold"),
    @JsonSubTypes.Type(value = MetadataCommand.RecordStep.class, name = "RecordStep"),
    @JsonSubTypes.Type(value = MetadataCommand.ReleaseHold.class, name = "ReleaseHold"),
    @JsonSubTypes.Type(value = MetadataCommand.SetLeaderHint.class, name = "SetLeaderHint"),
    @JsonSubTypes.Type(value = MetadataCommand.SpreadCommit.class, name = "SpreadCommit"),
    @JsonSubTypes.Type(value = MetadataCommand.Batch.class, name = "Batch")})
public sealed interface MetadataCommand {

  /** Bootstrap: the initial node directory and placement. Applied once; a repeat with the same plan is a no-op. */
  record InitializeCluster(String clusterId, int vshards, int replicationFactor, Map<String, NodeAddress> nodes,
                           List<ShardRoute> shards) implements MetadataCommand {
  }

  /** Bootstrap finished: every vShard group exists. Nodes report ready from here on. */
  record MarkBootstrapped() implements MetadataCommand {
  }

  /** Adds or updates a node directory entry (a restarted node may come back with a new address). */
  record RegisterNode(String nodeId, NodeAddress address) implements MetadataCommand {
  }

  /** The committed Raft membership of vShard {@code vshard}; bumps the global epoch and the shard's epoch. */
  record UpdateShardMembership(int vshard, List<String> voters, List<String> listeners) implements MetadataCommand {
  }

  /** Takes the hold on a vShard for a migration; idempotent for the same id, rejected (VShardBusy) for another. */
  record AcquireHold(int vshard, String migrationId, String source, String target) implements MetadataCommand {
  }

  /** Records the result of one migration step under the hold. */
  record RecordStep(int vshard, String migrationId, String step, JsonNode result) implements MetadataCommand {
  }

  /** Releases the hold; a no-op when {@code migrationId} does not hold the vShard (already released). */
  record ReleaseHold(int vshard, String migrationId) implements MetadataCommand {
  }

  /**
   * Changes nothing. A Ratis follower learns that an entry committed only with the next entry or heartbeat
   * (up to 1 s later in an idle group); a node whose replica trails the leader appends this so the commit
   * reaches it at once ({@code RaftMetadataService#latest}).
   */
  record SpreadCommit() implements MetadataCommand {
  }

  /**
   * Several commands in one log entry, applied in order as one: all of them, or none when one is rejected.
   * One commit instead of several (each is a Raft round of the metadata group), and no crash between them.
   */
  record Batch(List<MetadataCommand> commands) implements MetadataCommand {
  }

  /** The node that currently leads the vShard's group; a hint for forwarding, no epoch change. */
  record SetLeaderHint(int vshard, String leader) implements MetadataCommand {
  }
}
