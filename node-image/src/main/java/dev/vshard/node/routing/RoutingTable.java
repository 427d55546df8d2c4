package dev.vshard.node.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The replicated routing table: node directory, one {@link ShardRoute} per vShard, and a global epoch
 * that only grows (every membership change adds one). Immutable; the metadata state machine replaces it.
 */
public record RoutingTable(String clusterId, long epoch, int vshards, int replicationFactor, boolean bootstrapped,
                           Map<String, NodeAddress> nodes, List<ShardRoute> shards) {
  public RoutingTable {
    nodes = Map.copyOf(nodes);
    shards = List.copyOf(shards);
  }

  /** The table a node has before the cluster is bootstrapped (or before it has followed the metadata group). */
  public static RoutingTable empty(String clusterId) {
    return new RoutingTable(clusterId, 0, 0, 0, false, Map.of(), List.of());
  }

  public boolean initialized() {
    return vshards > 0;
  }

  public Optional<ShardRoute> shard(int v) {
    return v >= 0 && v < shards.size() ? Optional.of(shards.get(v)) : Optional.empty();
  }

  public Optional<NodeAddress> node(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId));
  }

  /** Nodes in id order, for stable JSON. */
  public Map<String, NodeAddress> sortedNodes() {
    return new TreeMap<>(nodes);
  }

  RoutingTable withShard(ShardRoute route, long newEpoch) {
    List<ShardRoute> next = new ArrayList<>(shards);
    next.set(route.vshard(), route);
    return new RoutingTable(clusterId, newEpoch, vshards, replicationFactor, bootstrapped, nodes, next);
  }

  RoutingTable withNode(String nodeId, NodeAddress address) {
    Map<String, NodeAddress> next = new TreeMap<>(nodes);
    next.put(nodeId, address);
    return new RoutingTable(clusterId, epoch, vshards, replicationFactor, bootstrapped, next, shards);
  }

  RoutingTable markBootstrapped() {
    return new RoutingTable(clusterId, epoch, vshards, replicationFactor, true, nodes, shards);
  }
}
