package dev.vshard.node.admin;

import dev.vshard.node.http.AdminForwarder;
import dev.vshard.node.http.ApiException;
import dev.vshard.node.migration.NotLeaderHereException;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.ShardRoute;
import io.javalin.http.Context;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an admin call at the vShard's leader, on the latest routing table: here when this node leads,
 * otherwise relayed to the leader this node knows of (its division's view, else the routing table's hint
 * while it names a voter, else a voter, which relays it on to the leader it knows).
 * A relayed call is relayed on once more only to a node other than the one it came from, so two nodes
 * with stale views cannot ping-pong.
 */
final class LeaderRouting {
  private static final long LATEST_TABLE_TIMEOUT_SECONDS = 10;

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
    awaitLatestTable();
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

  /**
   * The action reads holds and step results from the local routing table; another node may have committed
   * one a moment ago (a learner added through node A, released through node B), so first catch up.
   */
  private void awaitLatestTable() throws InterruptedException {
    try {
      metadata.latest().get(LATEST_TABLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiException(503, "MetadataUnavailable", "this node could not read the latest routing table: "
          + (e.getCause() == null ? e : e.getCause()).getMessage() + "; retry shortly", null);
    }
  }

  private String routingHint(int v) {
    return metadata.current().shard(v).map(ShardRoute::leaderOrAVoter).orElse(null);
  }
}
