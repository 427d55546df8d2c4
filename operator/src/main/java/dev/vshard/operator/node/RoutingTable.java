package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v1/routing}: vShard placement, the node directory and the holds. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RoutingTable(String clusterId, long epoch, int vshards, int replicationFactor,
                           Map<String, Object> nodes, List<ShardRoute> shards) {

  public Optional<ShardRoute> shard(int vshard) {
    return shards == null ? Optional.empty() : shards.stream().filter(s -> s.vshard() == vshard).findFirst();
  }

  public boolean knowsNode(String node) {
    return nodes != null && nodes.containsKey(node);
  }

  /** One vShard's placement. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ShardRoute(int vshard, List<String> voters, List<String> listeners, String leader,
                           String migrationId, long epoch) {
    public boolean isVoter(String node) {
      return voters != null && voters.contains(node);
    }
  }
}
