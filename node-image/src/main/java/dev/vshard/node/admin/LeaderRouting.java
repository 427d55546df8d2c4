package dev.vshard.node.admin;

import dev.vshard.node.http.AdminForwarder;
import dev.vshard.node.http.ApiException;
import dev.vshard.node.migration.NotLeaderHereException;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.ShardRoute;
import io.javalin.http.Context;

/**
 * Runs an admin call at the vShard's leader: here when this node leads, otherwise relayed to the leader
 * this node knows of (its division's view, else the routing table's hint). A relayed call is relayed on
 * once more only to a node other than the one it came from, so two nodes with stale views cannot ping-pong.
 */
final class LeaderRouting {
  /** An admin action that must run at the leader; throws {@link NotLeaderHereException} when it is not. */
  @FunctionalInterface
  interface LeaderAction {
    void run() throws Exception;
  }

  private final AdminForwarder forwarder;
  private final MetadataService metadata;
  private final String self;

  LeaderRouting(AdminForwarder forwarder, MetadataService metadata, String self) {
    this.forwarder = forwarder;
    this.metadata = metadata;
    this.self = self;
  }

  void atLeader(Context ctx, int v, LeaderAction action) throws Exception {
    try {
      action.run();
    } catch (NotLeaderHereException e) {
      String target = e.leaderHint() != null ? e.leaderHint() : routingHint(v);
      String cameFrom = ctx.header(AdminForwarder.FORWARDED_HEADER);
      if (target == null || target.equals(self) || target.equals(cameFrom)) {
        throw new ApiException(503, "NotLeader", "no leader of vShard " + v + " is known here yet; retry shortly", null);
      }
      ctx.future(() -> forwarder.forward(ctx, target));
    }
  }

  private String routingHint(int v) {
    return metadata.current().shard(v).map(ShardRoute::leader).orElse(null);
  }
}
