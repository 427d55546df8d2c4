package dev.vshard.node.raft;

import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The vShards whose routing entry names this node as a member while it hosts no replica of them: replicas lost
 * with a data dir (see {@code ClusterEntry}). A vShard a migration is moving to this node does not count (its
 * replica is being hosted). A migration with this node as the source replaces each lost replica.
 */
public final class MissingReplicas {
  private final String self;
  private final IntPredicate hosted;

  /** {@code hosted}: whether this node hosts a replica of vShard {@code v}. */
  public MissingReplicas(String self, IntPredicate hosted) {
    this.self = self;
    this.hosted = hosted;
  }

  public List<Integer> of(RoutingTable table) {
    return table.shards().stream()
        .filter(route -> route.hasMember(self) && !hosted.test(route.vshard()) && !movingHere(route))
        .map(ShardRoute::vshard)
        .toList();
  }

  private boolean movingHere(ShardRoute route) {
    return route.hold() != null && self.equals(route.hold().target());
  }
}
